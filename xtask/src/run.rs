//! `cargo xtask run`: build everything and serve the app on the embedded SQLite database with the demo data.

use crate::{cargo, dist, run_checked, step, workspace_root};

/// The demo accounts the demo data set creates (see `server/src/seed/demo.rs`).
const DEMO_ACCOUNTS: [(&str, &str); 6] = [
    ("demo-admin", "省局管理员 bureau administrator"),
    (
        "demo-approver",
        "省局审批人 bureau approver (decides matters others reviewed)",
    ),
    ("demo-hefei", "合肥市民政局 Hefei city staff"),
    ("demo-wuhu", "芜湖市民政局 Wuhu city staff"),
    ("demo-instructor", "党建指导员 party-building instructor"),
    (
        "demo-org",
        "社会组织用户 organization user (安徽省乡村振兴促进会)",
    ),
];

pub fn run(extra: &[String]) -> anyhow::Result<()> {
    let root = workspace_root();
    dist::build(&root)?;
    run_checked(
        cargo().args(["build", "--release", "-p", "sheguan"]),
        "building the server (release)",
    )?;
    let addr = std::env::var("SHEGUAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let password = std::env::var("SHEGUAN_DEMO_PASSWORD").unwrap_or_else(|_| "sheguan-demo".to_owned());
    step(&format!("serving 社管 Sheguan at http://{addr}  (Ctrl-C stops)"));
    eprintln!("    demo logins (password: {password}):");
    for (username, role) in DEMO_ACCOUNTS {
        eprintln!("      {username:<16} {role}");
    }
    eprintln!("    API reference: http://{addr}/api/docs\n");
    let status = cargo()
        .args(["run", "--quiet", "--release", "-p", "sheguan", "--"])
        .args(extra)
        .env("SHEGUAN_DEMO", "true")
        // Plain HTTP on this machine: the session cookie cannot be `Secure` here.
        .env("SHEGUAN_SECURE_COOKIES", "false")
        .env("SHEGUAN_STATIC_DIR", root.join("dist"))
        .status()?;
    anyhow::ensure!(status.success(), "the server stopped with {status}");
    Ok(())
}
