//! Byte tricks on eight bytes at a time (SWAR: a `u64` as eight lanes), shared by the scans
//! that classify every byte of a document: word masks, word counts, the typography and
//! encoding walks. Each is tested against the byte-by-byte code it stands for.

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// Byte masks over eight ASCII bytes (each below 0x80), one 0x80 bit per byte that
/// qualifies; [`gather`] turns one into eight bits.
///
/// Each byte is below 0x80, so adding a constant of at most 0x80 to every byte never
/// carries into the next one, and `x in lo..=hi` is "x + (0x80 - lo) has its high bit and
/// x + (0x7F - hi) has not".
#[inline]
pub(crate) fn ascii_range_mask(v: u64, lo: u8, hi: u8) -> u64 {
    let above = v.wrapping_add(u64::from(0x80 - lo) * ONES);
    let beyond = v.wrapping_add(u64::from(0x7F - hi) * ONES);
    above & !beyond & HIGH
}

/// Bit k of the result is the high bit of byte k of `mask` (byte k to bit 56 + k of the
/// product, then shifted down).
#[inline]
pub(crate) fn gather(mask: u64) -> u64 {
    ((mask & HIGH) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The eight bytes at `at` as one word, byte k in bits `8k..8k + 8`.
#[inline]
pub(crate) fn load(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

/// The `n` (1..=8) bytes at `at` in the low lanes of a word, the lanes above them
/// unspecified (callers mask them off): eight bytes read in place where the slice has them
/// (a copy of a few bytes costs a call to `memcpy`), else a zero-padded copy.
#[inline]
pub(crate) fn load_upto(bytes: &[u8], at: usize, n: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("eight bytes")),
        None => {
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(&bytes[at..at + n]);
            u64::from_le_bytes(buf)
        }
    }
}

/// The mask of the low `n` (1..=8) lanes of a word.
#[inline]
pub(crate) fn low_lanes(n: usize) -> u64 {
    u64::MAX >> (8 * (8 - n))
}

/// The 64 bytes at `at` as eight words, when there are 64 and every one of them is ASCII
/// (the lane masks below are exact only for ASCII bytes).
#[inline]
pub(crate) fn ascii_block(bytes: &[u8], at: usize) -> Option<[u64; 8]> {
    if at + 64 > bytes.len() {
        return None;
    }
    let mut words = [0u64; 8];
    let mut high = 0;
    for (k, w) in words.iter_mut().enumerate() {
        *w = load(bytes, at + 8 * k);
        high |= *w;
    }
    (high & HIGH == 0).then_some(words)
}

/// One bit per byte of a block (bit `8k + j` for byte j of word k), set where the lane
/// mask `lanes` gives a word's byte its 0x80 bit.
#[inline]
pub(crate) fn block_bits(words: &[u64; 8], lanes: impl Fn(u64) -> u64) -> u64 {
    let mut bits = 0;
    for (k, &w) in words.iter().enumerate() {
        bits |= gather(lanes(w)) << (8 * k);
    }
    bits
}

/// The lane mask of ASCII letters and digits.
#[inline]
pub(crate) fn alnum_lanes(v: u64) -> u64 {
    // Letters lowercase by setting bit 5 (no other byte lands in a..z by it).
    ascii_range_mask(v | 0x2020_2020_2020_2020, b'a', b'z') | ascii_range_mask(v, b'0', b'9')
}

/// The first index at or after `from` whose byte is not ASCII (`bytes.len()` if none).
#[inline]
pub(crate) fn next_non_ascii(bytes: &[u8], mut from: usize) -> usize {
    while from + 8 <= bytes.len() {
        let high = load(bytes, from) & HIGH;
        if high != 0 {
            return from + (high.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && bytes[from] < 0x80 {
        from += 1;
    }
    from
}

/// The first index at or after `from` whose byte is not printable ASCII (`' '..='~'`),
/// a tab, a newline or a carriage return (`bytes.len()` if none).
#[inline]
pub(crate) fn next_unusual(bytes: &[u8], mut from: usize) -> usize {
    let plain = |b: u8| (b' '..=b'~').contains(&b) || matches!(b, b'\t' | b'\n' | b'\r');
    while from + 8 <= bytes.len() {
        let v = load(bytes, from);
        if v & HIGH != 0 {
            break;
        }
        let ok = ascii_range_mask(v, b' ', b'~')
            | ascii_range_mask(v, b'\t', b'\n')
            | ascii_range_mask(v, b'\r', b'\r');
        if ok != HIGH {
            break;
        }
        from += 8;
    }
    while from < bytes.len() && plain(bytes[from]) {
        from += 1;
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_loads_hold_their_bytes_in_the_low_lanes() {
        let bytes: Vec<u8> = (1..=20).collect();
        for at in 0..bytes.len() {
            for n in 1..=8.min(bytes.len() - at) {
                let mut want = [0u8; 8];
                want[..n].copy_from_slice(&bytes[at..at + n]);
                let got = load_upto(&bytes, at, n) & low_lanes(n);
                assert_eq!(got, u64::from_le_bytes(want), "at {at}, {n} bytes");
            }
        }
    }

    #[test]
    fn ascii_classes_agree_with_the_byte_tests() {
        for b in 0u8..0x80 {
            let v = (u64::from(b) << 24) | 0x2020;
            assert_eq!(
                gather(alnum_lanes(v)),
                u64::from(b.is_ascii_alphanumeric()) << 3,
                "byte {b:#x}"
            );
        }
        let block: Vec<u8> = (0u8..64)
            .map(|i| if i % 3 == 0 { b'a' } else { b' ' })
            .collect();
        let words = ascii_block(&block, 0).unwrap();
        let bits = block_bits(&words, |v| ascii_range_mask(v, b'a', b'a'));
        assert_eq!(
            bits,
            (0..64)
                .filter(|i| i % 3 == 0)
                .map(|i| 1u64 << i)
                .sum::<u64>()
        );
        let mut high = block.clone();
        high[63] = 0xC3;
        assert!(ascii_block(&high, 0).is_none());
        assert!(ascii_block(&block, 1).is_none(), "fewer than 64 bytes");
    }

    proptest::proptest! {
        #[test]
        fn the_skips_stop_where_a_byte_walk_does(
            s in proptest::collection::vec(proptest::prop_oneof![
                16 => 0x20u8..0x7F, 1 => 0u8..0x20, 1 => proptest::strategy::Just(0x7Fu8), 1 => 0x80u8..=0xFF
            ], 0..80),
            from in 0usize..80,
        ) {
            let from = from.min(s.len());
            let plain = |b: u8| (b' '..=b'~').contains(&b) || matches!(b, b'\t' | b'\n' | b'\r');
            let want_high = (from..s.len()).find(|&i| s[i] >= 0x80).unwrap_or(s.len());
            let want_unusual = (from..s.len()).find(|&i| !plain(s[i])).unwrap_or(s.len());
            proptest::prop_assert_eq!(next_non_ascii(&s, from), want_high);
            proptest::prop_assert_eq!(next_unusual(&s, from), want_unusual);
        }
    }
}
