//! The `kiemdinh` binary: parse arguments, run, exit with the documented code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = kiemdinh::Cli::parse();
    ExitCode::from(kiemdinh::run(cli))
}
