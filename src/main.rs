//! The `ungarble` command: parse arguments, run, exit with 0 (ok), 1 (findings in check
//! mode) or 2 (errors).

mod cli;

/// mimalloc instead of the system allocator: a batch makes and frees millions of small
/// strings (findings, report fields), and this allocator spends fewer instructions on each
/// (measured in the README's end-to-end table). The library itself leaves the choice of
/// allocator to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its option enum's 16th member; the sys crate does
/// not name the newer options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // A batch frees and reallocates the same few megabytes per file. By default mimalloc
    // hands freed pages back to the kernel after 10 ms and then faults in (and the kernel
    // zeroes) fresh ones for the next file: about a tenth of the CPU of a 1,000-file
    // batch (README, end-to-end table). Memory is kept for reuse instead; the peak is
    // unchanged. `MIMALLOC_PURGE_DELAY` in the environment still decides when set.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called before any other thread exists (the setting is not thread safe).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    std::process::exit(cli::run());
}
