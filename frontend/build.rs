//! Merges `locales/<lang>/*.json` (one file per feature, so features never edit the same file) into one
//! table per language for `i18n.rs` to embed. A key defined twice is a build error.

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    for lang in ["zh-CN", "en"] {
        let dir = Path::new("locales").join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        let mut merged = BTreeMap::new();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let table: BTreeMap<String, String> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for (key, value) in table {
                if merged.insert(key.clone(), value).is_some() {
                    panic!("{}: the key {key} is defined twice", file.display());
                }
            }
        }
        let json = serde_json::to_string(&merged).expect("serialize");
        std::fs::write(Path::new(&out_dir).join(format!("{lang}.json")), json).expect("write");
    }
}
