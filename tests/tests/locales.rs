//! The browser app's locale files: valid JSON, the same keys in every language, no empty string.

use std::collections::BTreeMap;
use std::path::Path;

fn locale(name: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../frontend/locales")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_locale_has_the_same_keys_and_no_empty_string() {
    let zh = locale("zh-CN.json");
    let en = locale("en.json");

    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();

    assert!(only_zh.is_empty(), "missing in en.json: {only_zh:?}");
    assert!(only_en.is_empty(), "missing in zh-CN.json: {only_en:?}");
    for (key, text) in zh.iter().chain(en.iter()) {
        assert!(!text.trim().is_empty(), "{key} is empty");
    }
}
