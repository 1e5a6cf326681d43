//! The `kiemdinh` binary: parse arguments, run, exit with the documented code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse()).into()
}
