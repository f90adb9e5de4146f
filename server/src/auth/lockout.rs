//! Sign-in limits: failures that lock a username, and unsuccessful attempts one client address may make.

use chrono::{DateTime, TimeDelta, Utc};

/// Failed sign-ins within `LOCKOUT` that lock a username…
pub const MAX_FAILURES: usize = 5;
/// …for this long after the one that locked it.
pub const LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// Unsuccessful attempts one client address may make within `LOCKOUT`.
pub const MAX_CLIENT_FAILURES: i64 = 30;

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
