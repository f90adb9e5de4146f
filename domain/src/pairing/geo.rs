//! 球面距离 — great-circle distances for the distance penalty of 百社进百村 pairing.
//!
//! Every society and village is turned once into a point on the unit sphere, so that a candidate pair costs a
//! few multiplications and one `asin` instead of four trigonometric calls: the engine looks at tens of millions
//! of pairs.

use serde::{Deserialize, Serialize};

/// 地球半径 — the mean Earth radius the bureau's distances use, in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// A point on the unit sphere, made from a longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitVector {
    x: f64,
    y: f64,
    z: f64,
}

impl UnitVector {
    pub fn from_degrees(lon: f64, lat: f64) -> Self {
        let (lon, lat) = (lon.to_radians(), lat.to_radians());
        Self {
            x: lat.cos() * lon.cos(),
            y: lat.cos() * lon.sin(),
            z: lat.sin(),
        }
    }

    /// The squared straight-line (chord) distance to `other`, on the unit sphere.
    pub fn chord_squared(self, other: UnitVector) -> f64 {
        let (dx, dy, dz) = (self.x - other.x, self.y - other.y, self.z - other.z);
        dx * dx + dy * dy + dz * dz
    }

    /// 球面距离 — the great-circle distance to `other` in kilometres.
    pub fn distance_km(self, other: UnitVector) -> f64 {
        arc_km(self.chord_squared(other))
    }

    /// The distance to `other` rounded to whole kilometres, as the pairing rules count it.
    pub fn rounded_km(self, other: UnitVector) -> i64 {
        // At most half the circumference (~20,015 km), so the cast cannot saturate.
        self.distance_km(other).round() as i64
    }
}

/// The great-circle distance for a squared chord: the haversine of the central angle is (chord / 2)², so this
/// is the haversine formula computed from 3-D points instead of from latitude and longitude differences.
fn arc_km(chord_squared: f64) -> f64 {
    let half_chord = (chord_squared.sqrt() / 2.0).min(1.0);
    2.0 * EARTH_RADIUS_KM * half_chord.asin()
}

/// The largest squared chord whose distance can still round to at most `max_km`, with a margin for floating
/// point. Pairs beyond it are skipped without computing their distance.
pub(crate) fn chord_squared_limit(max_km: i64) -> f64 {
    let angle = (max_km as f64 + 0.5 + 1e-6) / EARTH_RADIUS_KM;
    if angle >= std::f64::consts::PI {
        return f64::INFINITY;
    }
    let half_chord = (angle / 2.0).sin();
    4.0 * half_chord * half_chord * (1.0 + 1e-12)
}

/// 球面距离（公里） — the haversine great-circle distance between two points given in degrees
/// (Earth radius 6371.0 km).
pub fn haversine_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    UnitVector::from_degrees(lon1, lat1).distance_km(UnitVector::from_degrees(lon2, lat2))
}

/// 经纬度范围 — a longitude/latitude box, for the server's "is this point in the province" check.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoundingBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BoundingBox {
    /// 安徽省 — the province's extent (东经 114°54′–119°37′, 北纬 29°41′–34°38′) widened by about 0.1°,
    /// so that a point on the border is not refused for a rounding of its coordinates.
    pub const ANHUI: BoundingBox = BoundingBox {
        min_lon: 114.8,
        min_lat: 29.58,
        max_lon: 119.72,
        max_lat: 34.74,
    };
}

/// Whether the point lies inside `bbox`, borders included. Non-finite coordinates never do.
pub fn within_bounds(lon: f64, lat: f64, bbox: &BoundingBox) -> bool {
    (bbox.min_lon..=bbox.max_lon).contains(&lon) && (bbox.min_lat..=bbox.max_lat).contains(&lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook haversine formula, to check that the chord form computes the same distance.
    fn textbook_haversine(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }

    #[test]
    fn hefei_to_wuhu_is_about_125_km() {
        let km = haversine_km(117.227, 31.821, 118.433, 31.353);
        assert!((km - 125.0).abs() < 1.0, "{km}");
        assert_eq!(
            UnitVector::from_degrees(117.227, 31.821).rounded_km(UnitVector::from_degrees(118.433, 31.353)),
            125
        );
    }

    #[test]
    fn the_chord_form_agrees_with_the_textbook_formula() {
        let points = [
            (117.227, 31.821),
            (118.433, 31.353),
            (115.8, 33.9),
            (119.6, 29.7),
            (0.0, 0.0),
            (-179.9, 89.0),
        ];
        for &(lon1, lat1) in &points {
            for &(lon2, lat2) in &points {
                let (ours, theirs) = (
                    haversine_km(lon1, lat1, lon2, lat2),
                    textbook_haversine(lon1, lat1, lon2, lat2),
                );
                assert!((ours - theirs).abs() < 1e-6, "{ours} vs {theirs}");
            }
        }
    }

    #[test]
    fn the_chord_limit_never_cuts_off_a_pair_within_the_maximum() {
        let hefei = UnitVector::from_degrees(117.227, 31.821);
        for max_km in [0, 1, 50, 150, 1000] {
            let limit = chord_squared_limit(max_km);
            for step in 0..2000 {
                let other = UnitVector::from_degrees(117.227 + step as f64 * 0.001, 31.821);
                if hefei.rounded_km(other) <= max_km {
                    assert!(hefei.chord_squared(other) <= limit, "{max_km} km, step {step}");
                }
            }
        }
        assert_eq!(chord_squared_limit(30_000), f64::INFINITY);
    }

    #[test]
    fn points_outside_the_box_or_not_finite_are_out_of_bounds() {
        assert!(within_bounds(117.227, 31.821, &BoundingBox::ANHUI));
        assert!(!within_bounds(121.47, 31.23, &BoundingBox::ANHUI)); // 上海
        assert!(!within_bounds(f64::NAN, 31.0, &BoundingBox::ANHUI));
        assert!(!within_bounds(117.0, f64::INFINITY, &BoundingBox::ANHUI));
    }
}
