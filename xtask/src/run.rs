//! `cargo xtask run`: build everything and serve the app on the embedded SQLite database with the demo data.

use crate::{cargo, dist, run_checked, step, workspace_root};

pub fn run(extra: &[String]) -> anyhow::Result<()> {
    let root = workspace_root();
    dist::build(&root)?;
    run_checked(
        cargo().args(["build", "--release", "-p", "sheguan"]),
        "building the server (release)",
    )?;
    let addr = std::env::var("SHEGUAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    step(&format!("serving 社管 Sheguan at http://{addr}  (Ctrl-C stops)"));
    let status = cargo()
        .args(["run", "--quiet", "--release", "-p", "sheguan", "--"])
        .args(extra)
        .env("SHEGUAN_DEMO", "true")
        .env("SHEGUAN_STATIC_DIR", root.join("dist"))
        .status()?;
    anyhow::ensure!(status.success(), "the server stopped with {status}");
    Ok(())
}
