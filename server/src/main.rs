//! The `sheguan` binary: parse the configuration, then serve (or run a one-off command).

use clap::Parser;
use sheguan::cli::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // `pair` prints its answer on stdout, which the log would otherwise share: it runs without one.
    if let Some(command @ Command::Pair(_)) = cli.command {
        return sheguan::cli::run(command).await;
    }
    sheguan::telemetry::init(cli.log_format());
    match cli.command {
        None => {
            sheguan::Application::build(cli.serve)
                .await?
                .run_until_stopped()
                .await?
        }
        Some(command) => sheguan::cli::run(command).await?,
    }
    Ok(())
}
