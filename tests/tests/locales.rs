//! The browser app's locale files: valid JSON, the same keys in every language, no empty string.

use std::collections::BTreeMap;
use std::path::Path;

/// Every key of `locales/<lang>/*.json`, with the file it comes from.
fn locale(lang: &str) -> BTreeMap<String, (String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../frontend/locales")
        .join(lang);
    let mut keys = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let table: BTreeMap<String, String> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (key, value) in table {
            keys.insert(key, (file.clone(), value));
        }
    }
    keys
}

#[test]
fn every_locale_has_the_same_keys_and_no_empty_string() {
    let zh = locale("zh-CN");
    let en = locale("en");

    let only_zh: Vec<_> = zh
        .iter()
        .filter(|(k, _)| !en.contains_key(*k))
        .map(|(k, (f, _))| (f, k))
        .collect();
    let only_en: Vec<_> = en
        .iter()
        .filter(|(k, _)| !zh.contains_key(*k))
        .map(|(k, (f, _))| (f, k))
        .collect();

    assert!(only_zh.is_empty(), "missing in en/: {only_zh:?}");
    assert!(only_en.is_empty(), "missing in zh-CN/: {only_en:?}");
    for (key, (file, text)) in zh.iter().chain(en.iter()) {
        assert!(!text.trim().is_empty(), "{file}: {key} is empty");
    }
}
