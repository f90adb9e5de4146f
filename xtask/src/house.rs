//! The house rules that a compiler cannot check: every module has the same name in every layer, and no
//! source file outside the tests grows past [`MAX_LINES`] (a file that long is asking to be split along the
//! lines of the work; see "Adding a module" in `docs/ARCHITECTURE.md`).

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The most lines a source file outside `tests/` and the migrations may have.
pub const MAX_LINES: usize = 600;

/// The source trees the size rule covers.
const SOURCE_TREES: [&str; 4] = ["domain/src", "server/src", "frontend/src", "xtask/src"];

/// The modules: each has `domain/src/<m>/`, `server/src/routes/<m>`, `server/src/store/<m>`,
/// `frontend/src/pages/<m>/`, `frontend/locales/*/<m>.json`, `tests/tests/api/<m>.rs` and `tests/src/<m>.rs`
/// (a small module may be one file where the others are folders).
pub const MODULES: [&str; 16] = [
    "accounts",
    "registry",
    "villages",
    "pairing",
    "contributions",
    "jobs",
    "inspection",
    "credit",
    "dormant",
    "party",
    "fees",
    "publication",
    "illegal",
    "petitions",
    "penalties",
    "dashboard",
];

/// Checks both rules under `root`, naming every file or folder that breaks one.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let mut problems = Vec::new();
    for tree in SOURCE_TREES {
        for file in rust_files(&root.join(tree))? {
            let lines = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?
                .lines()
                .count();
            if lines > MAX_LINES {
                let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
                problems.push(format!(
                    "{shown}: {lines} lines (at most {MAX_LINES}; split it along the work)"
                ));
            }
        }
    }
    for module in MODULES {
        for place in module_places(module) {
            let found = place.iter().any(|candidate| root.join(candidate).exists());
            if !found {
                problems.push(format!("module {module}: none of {} exists", place.join(" or ")));
            }
        }
    }
    anyhow::ensure!(
        problems.is_empty(),
        "the house rules are broken:\n  {}",
        problems.join("\n  ")
    );
    Ok(())
}

/// Where a module lives in each layer: a folder, or one file while it is small.
fn module_places(module: &str) -> Vec<Vec<String>> {
    let either = |base: &str| vec![format!("{base}/{module}"), format!("{base}/{module}.rs")];
    vec![
        either("domain/src"),
        either("server/src/routes"),
        either("server/src/store"),
        either("frontend/src/pages"),
        vec![format!("frontend/locales/zh-CN/{module}.json")],
        vec![format!("frontend/locales/en/{module}.json")],
        either("tests/tests/api"),
        vec![format!("tests/src/{module}.rs")],
    ]
}

fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_may_be_a_folder_or_one_file() {
        let places = module_places("villages");
        assert!(places[0].contains(&"domain/src/villages".to_owned()));
        assert!(places[0].contains(&"domain/src/villages.rs".to_owned()));
    }
}
