//! The `ungarble` command: parse arguments, run, exit with 0 (ok), 1 (findings in check
//! mode) or 2 (errors).

mod cli;

fn main() {
    std::process::exit(cli::run());
}
