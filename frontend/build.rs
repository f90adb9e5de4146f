//! Merges `locales/<lang>/*.json` (one file per feature, so features never edit the same file) into one
//! table per language for `i18n.rs` to embed. A key defined twice is a build error.

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    city_outlines(&out_dir);
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
