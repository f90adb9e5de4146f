//! The `sheguan` binary: parse the configuration, then serve (or run a one-off command).

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    sheguan::cli::main().await
}
