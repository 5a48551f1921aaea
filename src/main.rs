//! The `anyqtama` command line: arguments, exit codes and printing diagnostics.

mod cli;

/// mimalloc: layout allocates many small strings and glyph vectors; with the system
/// allocator, malloc and free took close to half of the layout stage (README, performance).
/// Built without transparent huge pages (Cargo.toml), which a short run pays for in zeroing.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => 0,
                _ => cli::Exit::Failure as u8,
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(cli::run(args) as u8)
}
