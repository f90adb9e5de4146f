//! 百社进百村 benchmark: every village of Anhui against 3,000 generated societies, solved exactly.
//!
//! `cargo run --release -p domain --example pairing_bench [societies] [seed]` reads the province's reference
//! data, builds the instance with a deterministic generator (`anhui_instance`), solves it and prints the
//! times, the peak memory and the objective.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use domain::pairing::{Instance, Need, Rules, Society, UnitVector, Village, Weights, solve};

/// The generator's knobs; `Default` is the benchmark the issue describes.
#[derive(Debug, Clone)]
pub struct Settings {
    pub societies: usize,
    pub seed: u64,
    /// One village in this many is a priority village (重点帮扶村).
    pub priority_one_in: u64,
    /// One village in this many takes two societies instead of one.
    pub two_societies_one_in: u64,
    pub pins: usize,
    pub forbids: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            societies: 3000,
            seed: 2021,
            priority_one_in: 10,
            two_societies_one_in: 10,
            pins: 30,
            forbids: 30,
        }
    }
}

/// splitmix64: a tiny, well-mixed generator, enough for reproducible test data without a `rand` dependency.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (the modulo bias is irrelevant for test data).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `[-1, 1)`.
    pub fn signed_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    /// 1–3 distinct vocabulary keys with weights 1–10.
    pub fn weights(&mut self) -> Weights {
        let count = 1 + self.below(3) as usize;
        let mut weights = Weights::new();
        while weights.len() < count {
            let need = Need::ALL[self.below(Need::ALL.len() as u64) as usize];
            weights.insert(need, 1 + self.below(10) as i64);
        }
        weights
    }
}

/// County centroids by code, from `divisions.csv`.
fn county_centroids(data_dir: &Path) -> Result<HashMap<String, (f64, f64)>, String> {
    let path = data_dir.join("divisions.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut centroids = HashMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if let [code, _name, _level, _parent, lon, lat, _source] = fields[..] {
            let parse = |raw: &str| raw.parse::<f64>().map_err(|e| format!("{line}: {e}"));
            centroids.insert(code.to_owned(), (parse(lon)?, parse(lat)?));
        }
    }
    Ok(centroids)
}

/// 安徽全省实例 — every village of kind `village` at its county centroid plus up to ±0.25° longitude and
/// ±0.2° latitude of jitter, and `settings.societies` societies at random county centroids plus ±0.15°,
/// each side with 1–3 needs or capabilities weighted 1–10, capacities 1–8, default rules, and a few pins and
/// forbids. The same settings always give the same instance.
pub fn anhui_instance(data_dir: &Path, settings: &Settings) -> Result<Instance, String> {
    let centroids = county_centroids(data_dir)?;
    let path = data_dir.join("villages.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rng = SplitMix64(settings.seed);

    let mut villages = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [code, _name, kind, _township, _township_name, county, city] = fields[..] else {
            return Err(format!("{}: malformed line {line}", path.display()));
        };
        if kind != "village" {
            continue;
        }
        let &(lon, lat) = centroids
            .get(county)
            .or_else(|| centroids.get(city))
            .ok_or(format!("no centroid for {county}"))?;
        villages.push(Village {
            id: code.to_owned(),
            needs: rng.weights(),
            priority: rng.below(settings.priority_one_in) == 0,
            max_societies: if rng.below(settings.two_societies_one_in) == 0 {
                2
            } else {
                1
            },
            lon: lon + 0.25 * rng.signed_unit(),
            lat: lat + 0.2 * rng.signed_unit(),
        });
    }

    let mut counties: Vec<(&String, &(f64, f64))> = centroids
        .iter()
        .filter(|(code, _)| !code.ends_with("00"))
        .collect();
    counties.sort_by(|a, b| a.0.cmp(b.0));
    let societies: Vec<Society> = (0..settings.societies)
        .map(|i| {
            let (_, &(lon, lat)) = counties[rng.below(counties.len() as u64) as usize];
            Society {
                id: format!("S{:05}", i + 1),
                capabilities: rng.weights(),
                capacity: 1 + rng.below(8) as i64,
                lon: lon + 0.15 * rng.signed_unit(),
                lat: lat + 0.15 * rng.signed_unit(),
            }
        })
        .collect();

    let mut rules = Rules::default();
    let (mut society_pins, mut village_pins) = (vec![0i64; societies.len()], vec![0i64; villages.len()]);
    while rules.pins.len() < settings.pins && !societies.is_empty() && !villages.is_empty() {
        let (s, v) = (
            rng.below(societies.len() as u64) as usize,
            rng.below(villages.len() as u64) as usize,
        );
        let pair = (societies[s].id.clone(), villages[v].id.clone());
        if society_pins[s] < societies[s].capacity
            && village_pins[v] < villages[v].max_societies
            && !rules.pins.contains(&pair)
        {
            society_pins[s] += 1;
            village_pins[v] += 1;
            rules.pins.push(pair);
        }
    }
    while rules.forbids.len() < settings.forbids && !societies.is_empty() && !villages.is_empty() {
        let (s, v) = (
            rng.below(societies.len() as u64) as usize,
            rng.below(villages.len() as u64) as usize,
        );
        let pair = (societies[s].id.clone(), villages[v].id.clone());
        if !rules.pins.contains(&pair) && !rules.forbids.contains(&pair) {
            rules.forbids.push(pair);
        }
    }
    Ok(Instance {
        societies,
        villages,
        rules,
    })
}

/// Pairs the engine may propose (allowed and not forbidden), counted for the report.
fn allowed_pairs(instance: &Instance) -> usize {
    let villages: Vec<(UnitVector, &Village)> = instance
        .villages
        .iter()
        .map(|v| (UnitVector::from_degrees(v.lon, v.lat), v))
        .collect();
    let mut count = 0;
    for society in &instance.societies {
        let point = UnitVector::from_degrees(society.lon, society.lat);
        for (village_point, village) in &villages {
            let fit: i64 = village
                .needs
                .iter()
                .map(|(need, w)| w * society.capabilities.get(need).unwrap_or(&0))
                .sum();
            if fit > 0 && point.rounded_km(*village_point) <= instance.rules.max_distance_km {
                count += 1;
            }
        }
    }
    count
}

/// Peak resident memory (VmHWM) of this process, on Linux.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "n/a".to_owned())
}

fn main() -> Result<(), String> {
    let mut settings = Settings::default();
    let mut args = std::env::args().skip(1);
    if let Some(societies) = args.next() {
        settings.societies = societies.parse().map_err(|e| format!("societies: {e}"))?;
    }
    if let Some(seed) = args.next() {
        settings.seed = seed.parse().map_err(|e| format!("seed: {e}"))?;
    }
    let data_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/anhui"));

    let started = Instant::now();
    let instance = anhui_instance(&data_dir, &settings)?;
    let built = started.elapsed();
    let started = Instant::now();
    let plan = solve(&instance).map_err(|e| e.to_string())?;
    let solved = started.elapsed();
    let peak = peak_memory();

    let priority = instance.villages.iter().filter(|v| v.priority).count();
    let capacity: i64 = instance.societies.iter().map(|s| s.capacity).sum();
    println!("百社进百村 pairing benchmark (seed {})", settings.seed);
    println!(
        "instance: {} societies (capacity {capacity}), {} villages ({priority} priority), {} pins, {} forbids",
        instance.societies.len(),
        instance.villages.len(),
        instance.rules.pins.len(),
        instance.rules.forbids.len()
    );
    println!("build:    {:.3} s", built.as_secs_f64());
    println!("solve:    {:.3} s", solved.as_secs_f64());
    println!("total:    {:.3} s", (built + solved).as_secs_f64());
    println!("peak memory (VmHWM): {peak}");
    println!(
        "objective: {} of {priority} priority villages covered, {} of {} villages covered, total score {}",
        plan.objective.priority_villages_covered,
        plan.objective.villages_covered,
        instance.villages.len(),
        plan.objective.total_score
    );
    println!(
        "pairs:    {}, unpaired villages: {}",
        plan.pairs.len(),
        plan.unpaired_villages.len()
    );
    println!(
        "allowed pairs (arcs of the flow network): {}",
        allowed_pairs(&instance)
    );
    Ok(())
}
