//! Merges `locales/<lang>/*.json` (one file per feature, so features never edit the same file) into one
//! table per language for `i18n.rs` to embed. A key defined twice is a build error.
//!
//! The smaller bundles (`domain::pages`) embed only the strings their own code names: a key is kept when
//! it appears as a string literal (`"nav.home"`), or begins with a literal that is completed at run time
//! (`format!("dormant.step.{}", …)`), in a source file the bundle compiles — the modules reached from
//! `lib.rs` through the `mod` declarations its features keep. The workspace bundle embeds every string.
//!
//! For wasm32 it also asks the linker to keep the module's relocations: `cargo xtask dist` needs them to
//! split the module into the pages' chunks (`lazy_page!` in `lib.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    if std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
    city_outlines(&out_dir);
    println!("cargo:rerun-if-changed=src");
    let used = (std::env::var_os("CARGO_FEATURE_WORKSPACE").is_none()).then(used_keys);
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
        if let Some(used) = &used {
            merged.retain(|key, _| used.names(key));
        }
        let json = serde_json::to_string(&merged).expect("serialize");
        std::fs::write(Path::new(&out_dir).join(format!("{lang}.json")), json).expect("write");
    }
}

/// The locale keys a bundle's source names: whole keys, and prefixes completed at run time.
struct UsedKeys {
    keys: BTreeSet<String>,
    prefixes: BTreeSet<String>,
}

impl UsedKeys {
    fn names(&self, key: &str) -> bool {
        self.keys.contains(key)
            || self
                .prefixes
                .iter()
                .any(|prefix| key.starts_with(prefix.as_str()))
    }
}

/// Every string literal shaped like a key (`"a.b"`, lowercase words joined by dots) in the source files
/// this build compiles; a literal ending in `.{` is a prefix.
fn used_keys() -> UsedKeys {
    let mut used = UsedKeys {
        keys: BTreeSet::new(),
        prefixes: BTreeSet::new(),
    };
    for file in compiled_files(PathBuf::from("src/lib.rs")) {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for literal in text.split('"').skip(1).step_by(2) {
            let is_key_text = |text: &str| {
                text.contains('.')
                    && text.split('.').all(|word| {
                        !word.is_empty()
                            && word
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    })
            };
            if let Some(prefix) = literal.strip_suffix('{').filter(|p| p.ends_with('.')) {
                if is_key_text(prefix.trim_end_matches('.')) {
                    used.prefixes.insert(prefix.to_owned());
                }
            } else if is_key_text(literal) {
                used.keys.insert(literal.to_owned());
            }
        }
    }
    used
}

/// `file` and every module file it declares (`mod name;`), less those behind a `#[cfg(feature = …)]` or
/// `#[cfg(not(feature = …))]` that this build's features rule out.
fn compiled_files(file: PathBuf) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let is_root = matches!(
        file.file_name().and_then(|n| n.to_str()),
        Some("lib.rs" | "mod.rs")
    );
    let dir = if is_root {
        file.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        file.with_extension("")
    };
    let mut files = vec![file.clone()];
    let mut kept = true;
    for line in text.lines().map(str::trim) {
        if let Some(condition) = line.strip_prefix("#[cfg(").and_then(|l| l.strip_suffix(")]")) {
            kept = feature_condition_holds(condition);
            continue;
        }
        let name = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        if let Some(name) = name
            && kept
        {
            let flat = dir.join(format!("{name}.rs"));
            let nested = dir.join(name).join("mod.rs");
            files.extend(compiled_files(if flat.exists() { flat } else { nested }));
        }
        if !line.starts_with("#[") && !line.starts_with("//") {
            kept = true;
        }
    }
    files
}

/// Whether a `cfg` condition on a module holds for this build: `feature = "…"` and `not(feature = "…")`;
/// any other condition (`test`, `all(…)`) is taken to hold, which only ever keeps more strings.
fn feature_condition_holds(condition: &str) -> bool {
    let enabled = |feature: &str| {
        let variable = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        std::env::var_os(variable).is_some()
    };
    let feature_of = |text: &str| {
        text.strip_prefix("feature = \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .map(str::to_owned)
    };
    if let Some(feature) = feature_of(condition) {
        return enabled(&feature);
    }
    match condition
        .strip_prefix("not(")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(feature_of)
    {
        Some(feature) => !enabled(&feature),
        None => true,
    }
}

/// Projects the cities' boundaries (`data/anhui/cities.geojson`) into SVG paths once, at build time, so that
/// the app carries a few kilobytes of outlines instead of the whole GeoJSON. The projection is the one in
/// `components/pairing_map.rs` (equirectangular, scaled at the province's mean latitude).
fn city_outlines(out_dir: &str) {
    let source = Path::new("../data/anhui/cities.geojson");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let geojson: serde_json::Value = serde_json::from_str(&text).expect("cities.geojson");
    let project = |lon: f64, lat: f64| ((lon - 114.8) * 81.2, (34.74 - lat) * 95.7);
    let mut cities = Vec::new();
    for feature in geojson["features"].as_array().expect("features") {
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .expect("polygons")
                .iter()
                .collect(),
            _ => continue,
        };
        let mut path = String::new();
        for polygon in polygons {
            for ring in polygon.as_array().expect("rings") {
                let points = ring.as_array().expect("points");
                // Every third point is plenty at the size the map is drawn.
                for (i, point) in points.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
                    let (x, y) = project(
                        point[0].as_f64().unwrap_or_default(),
                        point[1].as_f64().unwrap_or_default(),
                    );
                    path.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
                }
                path.push('Z');
            }
        }
        let center = &feature["properties"]["center"];
        let (cx, cy) = project(
            center[0].as_f64().unwrap_or_default(),
            center[1].as_f64().unwrap_or_default(),
        );
        cities.push(serde_json::json!({
            "name": feature["properties"]["name"], "path": path, "x": (cx * 10.0).round() / 10.0, "y": (cy * 10.0).round() / 10.0
        }));
    }
    let json = serde_json::to_string(&cities).expect("serialize");
    std::fs::write(Path::new(out_dir).join("cities.json"), json).expect("write");
}
