//! Installing what the build needs on a fresh machine: the wasm target, binaryen's `wasm-opt` and clippy.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run_checked, step};

/// Adds the wasm32 target to the toolchain unless it is there.
pub fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-unknown-unknown")
        })
        .unwrap_or(false);
    if !installed {
        run_checked(
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
            "installing the wasm32-unknown-unknown target",
        )?;
    }
    Ok(())
}

/// binaryen's version from npm: Debian's is far older and misses current wasm features.
const BINARYEN_VERSION: &str = "132.0.0";

/// `wasm-opt`, installed from npm into `target/tools` on first use. `None` (with a warning) when npm is
/// missing or the registry cannot be reached: the app still works, only larger.
pub fn wasm_opt(root: &Path) -> Option<PathBuf> {
    let prefix = root.join("target").join("tools");
    let bin = prefix.join("node_modules").join(".bin").join("wasm-opt");
    if bin.exists() {
        return Some(bin);
    }
    step(&format!(
        "installing binaryen@{BINARYEN_VERSION} (wasm-opt) from npm into target/tools"
    ));
    let _ = std::fs::create_dir_all(&prefix);
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(format!("binaryen@{BINARYEN_VERSION}"))
        .status();
    match status {
        Ok(s) if s.success() && bin.exists() => Some(bin),
        _ => {
            eprintln!("warning: wasm-opt is not available; the wasm bundle is left unoptimised");
            None
        }
    }
}

/// Clippy's driver, installing the component when the toolchain lacks it.
pub fn clippy_driver() -> anyhow::Result<PathBuf> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run rustc --print sysroot: {e}"))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    let driver = sysroot.join("bin").join("clippy-driver");
    if !driver.is_file() {
        run_checked(
            Command::new("rustup").args(["component", "add", "clippy"]),
            "installing clippy (rustup component add clippy)",
        )?;
    }
    anyhow::ensure!(driver.is_file(), "clippy is not installed: {}", driver.display());
    Ok(driver)
}

/// `command` with the workspace's crates compiled by clippy's driver, every warning an error — what
/// `cargo clippy -- -Dwarnings` sets, on a build that also produces what the build is for.
pub fn linted<'c>(command: &'c mut Command, driver: &Path) -> &'c mut Command {
    command
        .env("RUSTC_WORKSPACE_WRAPPER", driver)
        .env("CLIPPY_ARGS", "-Dwarnings__CLIPPY_HACKERY__")
}
