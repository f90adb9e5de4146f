//! Session tokens and the session cookie.

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::TimeDelta;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The session cookie. The `__Host-` prefix (Secure, no Domain, Path=/) is used whenever cookies are secure.
pub const COOKIE: &str = "sheguan_session";
pub const SECURE_COOKIE: &str = "__Host-sheguan_session";

/// The cookie of a sign-in waiting for its second step (a right password, no code yet).
pub const CHALLENGE_COOKIE: &str = "sheguan_sign_in";
pub const SECURE_CHALLENGE_COOKIE: &str = "__Host-sheguan_sign_in";
/// How long the second step may wait after the password.
pub const CHALLENGE_TIMEOUT: TimeDelta = TimeDelta::minutes(5);

/// A session ends after 30 minutes without a request…
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// …and 12 hours after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// `last_seen_at` is written at most once a minute per session.
pub const TOUCH_AFTER: TimeDelta = TimeDelta::seconds(60);

/// A new random session token (256 bits) and the hash under which it is stored.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored hash of the token in the request's session cookie, if there is one.
pub fn token_hash_from(headers: &HeaderMap, secure: bool) -> Option<String> {
    token_hash_from_jar(&axum_extra::extract::CookieJar::from_headers(headers), secure)
}

/// The session token's hash from the cookie jar. With secure cookies only the `__Host-` cookie counts: a
/// plain cookie could have been planted over HTTP or by a sibling domain.
pub fn token_hash_from_jar(jar: &axum_extra::extract::CookieJar, secure: bool) -> Option<String> {
    let cookie = if secure {
        jar.get(SECURE_COOKIE)?
    } else {
        jar.get(SECURE_COOKIE).or_else(|| jar.get(COOKIE))?
    };
    let token = cookie.value();
    (token.len() == 43).then(|| hash_token(token))
}

/// The cookie that carries `token`: HttpOnly, SameSite=Strict, Secure unless configured off for local HTTP.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::new(if secure { SECURE_COOKIE } else { COOKIE }, token);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Strict);
    cookie.set_secure(secure);
    cookie.set_path("/");
    cookie
}

/// The hash of the waiting sign-in's token, from its cookie (with secure cookies only the `__Host-` one).
pub fn challenge_hash_from_jar(jar: &axum_extra::extract::CookieJar, secure: bool) -> Option<String> {
    let cookie = if secure {
        jar.get(SECURE_CHALLENGE_COOKIE)?
    } else {
        jar.get(SECURE_CHALLENGE_COOKIE)
            .or_else(|| jar.get(CHALLENGE_COOKIE))?
    };
    let token = cookie.value();
    (token.len() == 43).then(|| hash_token(token))
}

/// The cookie of a waiting sign-in: like the session's (the server forgets its token after
/// `CHALLENGE_TIMEOUT`, and the cookie is removed when the sign-in completes).
pub fn challenge_cookie(token: String, secure: bool) -> Cookie<'static> {
    let mut cookie = cookie(token, secure);
    cookie.set_name(if secure {
        SECURE_CHALLENGE_COOKIE
    } else {
        CHALLENGE_COOKIE
    });
    cookie
}

/// The cookie that removes a waiting sign-in's cookie.
pub fn challenge_removal(secure: bool) -> Cookie<'static> {
    let mut cookie = challenge_cookie(String::new(), secure);
    cookie.make_removal();
    cookie
}

/// The cookie that removes the session cookie.
pub fn removal(secure: bool) -> Cookie<'static> {
    let mut cookie = cookie(String::new(), secure);
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(hash_a.len(), 64);
        assert_ne!(hash_a, a);
        assert_eq!(hash_token(&a), hash_a);
    }
}
