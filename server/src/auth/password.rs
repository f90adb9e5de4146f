//! Password hashing (Argon2id) and the password policy.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use domain::accounts::{PasswordError, check_password, is_common};

/// Passwords too common to accept (one a line, lower case).
const COMMON_PASSWORDS: &str = include_str!("../../assets/common-passwords.txt");

/// A hash of a password nobody has, verified against when the username is unknown so that the answer
/// takes as long as for a real account.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2hlZ3Vhbi1kZWNveQ$2b8oHuvd1Y3rrqNjaIlvqVCe60Yz2Xp9dUbcEcXkc3M";

/// Hashes at once, at most: each takes ~19 MiB for its time, so a burst of sign-ins waits its turn instead
/// of taking the server's memory (8 × 19 MiB ≈ 150 MiB at the worst).
const CONCURRENT_HASHES: usize = 8;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES);

/// Runs one Argon2 computation on a blocking thread once a hashing permit is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = HASHING.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

/// Hashes a password on a blocking thread (Argon2id, the crate's recommended parameters).
pub async fn hash(password: String) -> anyhow::Result<String> {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Whether `password` matches `hash` (or, with no hash, spends the same time and answers no).
pub async fn verify(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    bounded(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DECOY_HASH.to_owned());
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(known
            && Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok())
    })
    .await?
}

/// The whole policy for a new password: domain rules plus the list of common passwords.
pub fn check_new(password: &str, username: &str) -> Result<(), PasswordError> {
    check_password(password, username)?;
    if is_common(password, COMMON_PASSWORDS) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

/// A one-time password for a new or reset account: 16 characters without look-alikes.
pub fn temporary() -> String {
    use rand::Rng;
    const CHARSET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| CHARSET[rng.random_range(0..CHARSET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_common_passwords_has_thousands_that_the_length_rule_lets_through() {
        let entries: Vec<&str> = COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(
            entries.len() >= 10_000,
            "{} entries (ASVS 2.1.7 asks for thousands)",
            entries.len()
        );
        assert!(
            entries.iter().all(|p| *p == p.to_lowercase()),
            "compared in lower case"
        );
        for common in ["password123", "1234567890", "qwertyuiop", "iloveyou12"] {
            assert_eq!(
                check_new(common, "someone"),
                Err(PasswordError::Common),
                "{common}"
            );
        }
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash("河流-山川-2026".to_owned()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify("河流-山川-2026".to_owned(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("河流-山川-2027".to_owned(), Some(hash)).await.unwrap());
        assert!(!verify("anything".to_owned(), None).await.unwrap());
    }

    #[test]
    fn common_passwords_are_refused() {
        assert_eq!(check_new("password123", "x"), Err(PasswordError::Common));
        assert_eq!(check_new("1234567890", "x"), Err(PasswordError::Common));
        assert_eq!(check_new("Qwertyuiop", "x"), Err(PasswordError::Common));
        assert!(check_new("河流-山川-2026", "x").is_ok());
        assert_eq!(temporary().len(), 16);
    }
}
