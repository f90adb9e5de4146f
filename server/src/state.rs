//! What every handler can reach.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, Utc};
use domain::calendar::WorkCalendar;
use domain::registry::matter::TimeLimits;

use crate::crypto::DataKeys;

use crate::store::Store;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    /// The working-day calendar and time limits of registration matters, built once.
    pub registry: Arc<RegistryPolicy>,
    /// The public lookup's per-address rate limit.
    pub public_limiter: Arc<RateLimiter>,
    /// The job runner's settings and wake-up bell (`jobs/`).
    pub jobs: Arc<crate::jobs::Jobs>,
}

/// Configuration that handlers consult.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Whether the demo data set (and its accounts) is enabled.
    pub demo: bool,
    /// Whether the session cookie is `Secure` (off only for local HTTP).
    pub secure_cookies: bool,
    /// Staff must sign in with a second factor (`--require-staff-second-factor`).
    pub require_staff_second_factor: bool,
    /// The keys of personal data at rest.
    pub keys: DataKeys,
    /// Where evidence files are stored.
    pub evidence_dir: PathBuf,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxies`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The bearer token `GET /metrics` asks for (`--metrics-token`); none: the endpoint is off.
    pub metrics_token: Option<String>,
    /// The credit platform decisions are pushed to (`--publication-endpoint`; none: manual mode).
    pub publication: crate::routes::publication::Platform,
}

/// The policy of registration matters: the calendar their time limits are counted in, and the limits.
#[derive(Debug, Clone)]
pub struct RegistryPolicy {
    pub calendar: WorkCalendar,
    pub limits: TimeLimits,
}

impl Default for RegistryPolicy {
    fn default() -> Self {
        RegistryPolicy {
            calendar: WorkCalendar::mainland_china(),
            limits: TimeLimits::default(),
        }
    }
}

/// Today in China (UTC+8): the day time limits and decisions are dated by.
pub fn today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&china).date_naive()
}

/// A token bucket per client address: `capacity` requests at once, refilled at `per_second`.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(capacity: u32, per_second: f64) -> Self {
        RateLimiter {
            capacity: f64::from(capacity),
            per_second,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `addr`; false when its bucket is empty.
    pub fn allow(&self, addr: &str) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        // Forget idle clients now and then so the map cannot grow without bound.
        if buckets.len() > 10_000 {
            let full_after = self.capacity / self.per_second;
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < full_after);
        }
        let (tokens, at) = buckets.entry(addr.to_owned()).or_insert((self.capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimiter;

    #[test]
    fn a_client_that_empties_its_bucket_is_refused_while_others_are_not() {
        let limiter = RateLimiter::new(3, 0.001);
        assert!((0..3).all(|_| limiter.allow("a")));
        assert!(!limiter.allow("a"));
        assert!(limiter.allow("b"));
    }
}
