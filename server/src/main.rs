//! The `sheguan` binary: parse the configuration, then serve (or run a one-off command).

use clap::Parser;
use sheguan::cli::Cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
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
