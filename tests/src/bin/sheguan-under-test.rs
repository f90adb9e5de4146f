//! The `sheguan` server as a process of its own, for the test that kills it and starts it again
//! (`tests/tests/api/chaos.rs`). Cargo builds a package's binaries for its integration tests, so this is
//! the server built once with the tests rather than a second build of the `sheguan` binary.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    sheguan::cli::main().await
}
