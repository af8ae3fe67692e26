//! The `coffeechat` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser as _;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = coffeechat::Cli::parse();
    match coffeechat::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole chain on one line: "cannot open database x: unsupported database URL ...".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
