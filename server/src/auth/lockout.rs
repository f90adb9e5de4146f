//! Sign-in limits: failures that lock a username, and unsuccessful attempts one client address may make.

use chrono::{DateTime, TimeDelta, Utc};

/// Failed sign-ins within `LOCKOUT` that lock a username…
pub const MAX_FAILURES: usize = 5;
/// …for this long after the one that locked it.
pub const LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// Wrong passwords one client address may send within `LOCKOUT` before its attempts are slowed down…
pub const CLIENT_FAILURES_BEFORE_DELAY: i64 = 10;
/// …by this much for each failure beyond…
pub const CLIENT_DELAY_STEP: std::time::Duration = std::time::Duration::from_millis(100);
/// …up to this much…
pub const MAX_CLIENT_DELAY: std::time::Duration = std::time::Duration::from_secs(5);
/// …and refused outright beyond this many (an attack, not a campus behind one address).
pub const MAX_CLIENT_FAILURES: i64 = 300;

/// How long an attempt from an address with `failures` recent wrong passwords waits before it is judged:
/// slowing an address that many users share (a proxy, a campus NAT) rather than locking all of them out.
pub fn client_delay(failures: i64) -> std::time::Duration {
    let beyond = (failures - CLIENT_FAILURES_BEFORE_DELAY + 1).max(0) as u32;
    (CLIENT_DELAY_STEP * beyond).min(MAX_CLIENT_DELAY)
}

/// How far back failures can matter: a lock starts at most `LOCKOUT` ago, after failures spread over at
/// most `LOCKOUT` before it.
pub fn failures_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - LOCKOUT * 2
}

/// Whether a username is locked at `now`, given its failed sign-ins since its last success and since
/// `failures_since(now)`, in any order: some failure of the last `LOCKOUT` was the `MAX_FAILURES`th
/// within `LOCKOUT`.
pub fn is_locked(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    let mut failures = failures.to_vec();
    failures.sort_unstable();
    failures.windows(MAX_FAILURES).any(|run| {
        let (first, last) = (run[0], run[MAX_FAILURES - 1]);
        last > now - LOCKOUT && last - first < LOCKOUT
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes_ago(now: DateTime<Utc>, minutes: &[i64]) -> Vec<DateTime<Utc>> {
        minutes.iter().map(|m| now - TimeDelta::minutes(*m)).collect()
    }

    #[test]
    fn an_address_is_slowed_step_by_step_not_locked() {
        assert_eq!(client_delay(0), std::time::Duration::ZERO);
        assert_eq!(client_delay(9), std::time::Duration::ZERO);
        assert_eq!(client_delay(10), std::time::Duration::from_millis(100));
        assert_eq!(client_delay(30), std::time::Duration::from_millis(2100));
        assert_eq!(client_delay(250), MAX_CLIENT_DELAY);
    }

    #[test]
    fn five_failures_within_fifteen_minutes_lock_and_four_do_not() {
        let now = Utc::now();
        assert!(!is_locked(&minutes_ago(now, &[0, 1, 2, 3]), now));
        assert!(is_locked(&minutes_ago(now, &[0, 1, 2, 3, 14]), now));
        assert!(!is_locked(&minutes_ago(now, &[0, 1, 2, 3, 16]), now));
    }

    #[test]
    fn a_lock_lasts_fifteen_minutes_from_the_failure_that_set_it() {
        let now = Utc::now();
        assert!(is_locked(&minutes_ago(now, &[16, 16, 16, 16, 2]), now));
        assert!(is_locked(&minutes_ago(now, &[2, 16, 16, 28, 16, 16]), now));
        assert!(!is_locked(&minutes_ago(now, &[16, 16, 16, 16, 16]), now));
        assert!(!is_locked(&minutes_ago(now, &[29, 28, 27, 26, 1]), now));
    }
}
