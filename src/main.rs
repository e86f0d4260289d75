//! The `ungarble` command: parse arguments, run, exit with 0 (ok), 1 (findings in check
//! mode) or 2 (errors).

mod cli;

/// mimalloc instead of the system allocator: a batch makes and frees millions of small
/// strings (findings, report fields), and this allocator spends fewer instructions on each
/// (measured in the README's end-to-end table). The library itself leaves the choice of
/// allocator to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
