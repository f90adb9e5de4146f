//! The synthetic nation beside Anhui's real divisions: the other thirty provinces under their real GB/T 2260
//! codes and names, each with its real number of cities and counties (2023) under generated place names, and
//! their townships and villages (12-digit codes under the county's); then every division and village of the
//! database, Anhui's real ones included, as the generators of organizations and entries need them.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;

use crate::bulk::{Copy, Row};
use crate::random::Dice;

/// A province: two-digit code, name, cities, counties, population (millions, 2023), centre (lon, lat), and
/// whether it is a municipality (one city, 市辖区, whose counties are districts).
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
    cities: usize,
    counties: usize,
    pub population: f64,
    centre: (f64, f64),
    municipality: bool,
}

const fn p(
    code: &'static str,
    name: &'static str,
    cities: usize,
    counties: usize,
    population: f64,
    centre: (f64, f64),
    municipality: bool,
) -> Province {
    Province {
        code,
        name,
        cities,
        counties,
        population,
        centre,
        municipality,
    }
}

/// Anhui (34) is the real reference data; its counts here are unused, its population weighs its share.
pub const PROVINCES: [Province; 31] = [
    p("11", "北京市", 1, 16, 21.9, (116.40, 39.90), true),
    p("12", "天津市", 1, 16, 13.6, (117.20, 39.13), true),
    p("13", "河北省", 11, 167, 74.6, (114.48, 38.03), false),
    p("14", "山西省", 11, 117, 34.9, (112.53, 37.87), false),
    p("15", "内蒙古自治区", 12, 103, 24.0, (111.65, 40.82), false),
    p("21", "辽宁省", 14, 100, 42.6, (123.43, 41.80), false),
    p("22", "吉林省", 9, 60, 24.1, (125.35, 43.88), false),
    p("23", "黑龙江省", 13, 121, 31.9, (126.63, 45.75), false),
    p("31", "上海市", 1, 16, 24.9, (121.47, 31.23), true),
    p("32", "江苏省", 13, 95, 84.7, (118.78, 32.07), false),
    p("33", "浙江省", 11, 90, 64.6, (120.19, 30.26), false),
    p("34", "安徽省", 16, 119, 61.0, (117.28, 31.86), false),
    p("35", "福建省", 9, 84, 41.5, (119.30, 26.08), false),
    p("36", "江西省", 11, 100, 45.2, (115.89, 28.68), false),
    p("37", "山东省", 16, 136, 101.5, (117.00, 36.65), false),
    p("41", "河南省", 17, 157, 99.4, (113.65, 34.76), false),
    p("42", "湖北省", 13, 103, 57.8, (114.31, 30.52), false),
    p("43", "湖南省", 14, 122, 66.4, (113.00, 28.21), false),
    p("44", "广东省", 21, 122, 126.0, (113.27, 23.13), false),
    p("45", "广西壮族自治区", 14, 111, 50.1, (108.33, 22.84), false),
    p("46", "海南省", 4, 25, 10.1, (110.35, 20.02), false),
    p("50", "重庆市", 1, 38, 32.1, (106.55, 29.56), true),
    p("51", "四川省", 21, 183, 83.7, (104.07, 30.67), false),
    p("52", "贵州省", 9, 88, 38.6, (106.71, 26.57), false),
    p("53", "云南省", 16, 129, 47.2, (102.71, 25.05), false),
    p("54", "西藏自治区", 7, 74, 3.6, (91.11, 29.97), false),
    p("61", "陕西省", 10, 107, 39.5, (108.95, 34.27), false),
    p("62", "甘肃省", 14, 86, 25.0, (103.82, 36.07), false),
    p("63", "青海省", 8, 44, 5.9, (101.78, 36.62), false),
    p("64", "宁夏回族自治区", 5, 22, 7.2, (106.27, 38.47), false),
    p("65", "新疆维吾尔自治区", 14, 107, 25.9, (87.68, 43.77), false),
];

/// The province Anhui's real data comes from.
pub const ANHUI: &str = "34";

/// Place names are two characters, one from each list: 永宁, 清河, 金川 …
const FIRST: &str = "东西南北中安宁永新长平清河阳山江海金玉泰华兴福德昌盛丰和顺祥瑞宝龙凤云天白青红黄石大高";
const SECOND: &str = "阳州平安宁江川山城源德华兴丰林泉溪岭台坪湖桥口关门庄店集港湾浦塘坝岗寨沟";
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘";

/// A two-character place name not yet in `taken`.
fn place_name(dice: &mut Dice, taken: &mut HashSet<String>, suffix: &str) -> String {
    loop {
        let name = format!("{}{}{suffix}", dice.char_of(FIRST), dice.char_of(SECOND));
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

/// A village committee's name: 王庄村委会, 金川村委会, 清河社区居委会 …
fn village_name(dice: &mut Dice, community: bool) -> String {
    if community {
        return format!("{}{}社区居委会", dice.char_of(FIRST), dice.char_of(SECOND));
    }
    match dice.below(4) {
        0 => format!("{}庄村委会", dice.char_of(SURNAMES)),
        1 => format!("{}家{}村委会", dice.char_of(SURNAMES), dice.char_of(SECOND)),
        _ => format!("{}{}村委会", dice.char_of(FIRST), dice.char_of(SECOND)),
    }
}

/// What the synthetic nation added.
pub struct Generated {
    pub divisions: u64,
    pub villages: u64,
}

/// Writes the other provinces' divisions and about `villages` villages over their counties.
pub async fn generate(conn: &mut PgConnection, seed: u64, villages: u64) -> anyhow::Result<Generated> {
    let mut dice = Dice::new(seed, "nation");
    let others: Vec<&Province> = PROVINCES.iter().filter(|p| p.code != ANHUI).collect();
    let people: f64 = others.iter().map(|p| p.population).sum();
    let mut division_rows = Vec::new();
    // (county code, county name is a district, villages wanted)
    let mut counties = Vec::new();
    let mut city_names = HashSet::new();
    for province in &others {
        let code = format!("{}0000", province.code);
        let (lon, lat) = province.centre;
        division_rows.push(division(&code, province.name, "province", "000000", lon, lat));
        let mut county_names = HashSet::new();
        let per_county = villages as f64 * province.population / people / province.counties as f64;
        for c in 0..province.cities {
            let city = format!("{}{:02}00", province.code, c + 1);
            let city_name = if province.municipality {
                "市辖区".to_owned()
            } else {
                place_name(&mut dice, &mut city_names, "市")
            };
            let (clon, clat) = (lon + dice.unit() * 4.0 - 2.0, lat + dice.unit() * 3.0 - 1.5);
            division_rows.push(division(&city, &city_name, "city", &code, clon, clat));
            // The province's counties shared out over its cities, the first ones getting the remainder.
            let share =
                province.counties / province.cities + usize::from(c < province.counties % province.cities);
            for k in 0..share {
                let district = province.municipality || k < share.div_ceil(4);
                let suffix = if district { "区" } else { "县" };
                let county = format!("{}{:02}{:02}", province.code, c + 1, k + 1);
                let name = place_name(&mut dice, &mut county_names, suffix);
                let (klon, klat) = (clon + dice.unit() - 0.5, clat + dice.unit() - 0.5);
                division_rows.push(division(&county, &name, "county", &city, klon, klat));
                let wanted = (per_county * (0.6 + 0.8 * dice.unit())).round() as usize;
                counties.push((county, city.clone(), district, wanted));
            }
        }
    }
    let mut copy = Copy::start(
        conn,
        "divisions (code, name, level, parent_code, longitude, latitude, coord_source)",
    )
    .await?;
    for row in &division_rows {
        copy.row(|r| row.write(r)).await?;
    }
    let divisions = copy.finish().await?;

    let mut copy = Copy::start(
        conn,
        "villages (code, name, kind, township_code, township_name, county_code, city_code)",
    )
    .await?;
    for (county, city, district, wanted) in counties {
        let mut township_names = HashSet::new();
        let mut made = 0;
        let mut township = 0;
        while made < wanted {
            township += 1;
            let urban = district && dice.below(3) > 0;
            let suffix = match (urban, dice.below(3)) {
                (true, _) => "街道",
                (false, 0) => "乡",
                _ => "镇",
            };
            let township_name = place_name(&mut dice, &mut township_names, suffix);
            let township_code = format!("{county}{township:03}");
            let size = (8 + dice.below(17)).min(wanted - made);
            let mut names = HashSet::new();
            let mut v = 0;
            while v < size {
                let community = urban || dice.below(10) == 0;
                let name = village_name(&mut dice, community);
                if !names.insert(name.clone()) {
                    continue;
                }
                v += 1;
                let kind = if community { "community" } else { "village" };
                copy.row(|r| {
                    r.text(&format!("{township_code}{v:03}"))
                        .text(&name)
                        .text(kind)
                        .text(&township_code)
                        .text(&township_name)
                        .text(&county)
                        .text(&city);
                })
                .await?;
            }
            made += size;
        }
    }
    let villages = copy.finish().await?;
    Ok(Generated { divisions, villages })
}

struct DivisionRow {
    code: String,
    name: String,
    level: &'static str,
    parent: String,
    lon: f64,
    lat: f64,
}

impl DivisionRow {
    fn write(&self, r: &mut Row) {
        r.text(&self.code)
            .text(&self.name)
            .text(self.level)
            .text(&self.parent)
            .plain(format_args!("{:.6}", self.lon))
            .plain(format_args!("{:.6}", self.lat))
            .text("synthetic");
    }
}

fn division(code: &str, name: &str, level: &'static str, parent: &str, lon: f64, lat: f64) -> DivisionRow {
    DivisionRow {
        code: code.to_owned(),
        name: name.to_owned(),
        level,
        parent: parent.to_owned(),
        lon,
        lat,
    }
}

/// A division as the generators see it.
#[derive(Debug, Clone)]
pub struct Place {
    pub code: String,
    pub name: String,
    /// The prefix of its organizations' names: 河北省, 永宁市, 永宁市清河县.
    pub prefix: String,
    /// The city the ledger totals it under (itself for a province or a city).
    pub city_code: String,
    /// The counties whose villages its organizations work in (positions in `Places::all`).
    pub counties: Vec<usize>,
}

/// Every division of the database by province, and every village by county.
pub struct Places {
    pub all: Vec<Place>,
    /// Per province of [`PROVINCES`]: its own position, its cities' and its counties' positions.
    pub provinces: Vec<ProvincePlaces>,
    /// Village codes by county position.
    pub villages: HashMap<usize, Vec<String>>,
}

pub struct ProvincePlaces {
    pub province: &'static Province,
    pub own: usize,
    /// Each city with its counties.
    pub cities: Vec<(usize, Vec<usize>)>,
}

impl Places {
    /// Reads the divisions and villages back (Anhui's real ones beside the generated ones).
    pub async fn read(conn: &mut PgConnection) -> anyhow::Result<Places> {
        let rows: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT code, name, level, parent_code FROM divisions ORDER BY code")
                .fetch_all(&mut *conn)
                .await?;
        let mut all: Vec<Place> = Vec::with_capacity(rows.len());
        let mut at = HashMap::new();
        for (code, name, _, _) in &rows {
            at.insert(code.clone(), all.len());
            all.push(Place {
                code: code.clone(),
                name: name.clone(),
                prefix: String::new(),
                city_code: sheguan::store::contributions::city_of(code),
                counties: Vec::new(),
            });
        }
        let mut provinces = Vec::new();
        for province in &PROVINCES {
            let own = at[&format!("{}0000", province.code)];
            all[own].prefix = province.name.to_owned();
            let mut cities = Vec::new();
            for (code, _, level, parent) in &rows {
                if level == "city" && parent == &all[own].code {
                    let city = at[code];
                    let counties: Vec<usize> = rows
                        .iter()
                        .filter(|(_, _, l, p)| l == "county" && p == code)
                        .map(|(c, ..)| at[c])
                        .collect();
                    // A municipality's 市辖区 is not part of its districts' names.
                    let city_prefix = if all[city].name == "市辖区" {
                        province.name.to_owned()
                    } else {
                        all[city].name.clone()
                    };
                    all[city].prefix = city_prefix.clone();
                    for &county in &counties {
                        all[county].prefix = format!("{city_prefix}{}", all[county].name);
                        all[county].counties = vec![county];
                    }
                    all[city].counties = counties.clone();
                    cities.push((city, counties));
                }
            }
            all[own].counties = cities.iter().flat_map(|(_, c)| c.iter().copied()).collect();
            provinces.push(ProvincePlaces {
                province,
                own,
                cities,
            });
        }
        let village_rows: Vec<(String, String)> =
            sqlx::query_as("SELECT code, county_code FROM villages ORDER BY code")
                .fetch_all(&mut *conn)
                .await?;
        let mut villages: HashMap<usize, Vec<String>> = HashMap::new();
        for (code, county) in village_rows {
            if let Some(&county) = at.get(&county) {
                villages.entry(county).or_default().push(code);
            }
        }
        Ok(Places {
            all,
            provinces,
            villages,
        })
    }
}
