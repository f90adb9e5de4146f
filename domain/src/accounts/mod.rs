//! 账户 — accounts: the password rules, the second factor (`totp`), and the wire types of sign-in, users and the audit log (`api`).

pub mod api;
pub mod audit;
pub mod totp;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少需要 {MIN_PASSWORD_CHARS} 个字符")]
    TooShort,
    #[error("密码不能超过 128 个字符")]
    TooLong,
    #[error("密码过于常见，容易被猜到，请换一个")]
    Common,
    #[error("密码不能与用户名相同或包含用户名")]
    ContainsUsername,
    #[error("新密码不能与当前密码相同")]
    Unchanged,
}

/// Checks a new password against the rules that need no list (the server also checks a list of
/// common passwords, see `is_common`).
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > 128 {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if !user.is_empty() && lower.contains(&user) {
        return Err(PasswordError::ContainsUsername);
    }
    if password.chars().all(|c| password.starts_with(c)) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

/// Whether `password` is on `list` (one password a line), ignoring case.
pub fn is_common(password: &str, list: &str) -> bool {
    let lower = password.to_lowercase();
    list.lines()
        .map(str::trim)
        .any(|line| !line.is_empty() && line == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_checked_for_length_username_and_repetition() {
        assert_eq!(check_password("short", "a"), Err(PasswordError::TooShort));
        assert_eq!(
            check_password("zhangsan-2026!", "zhangsan"),
            Err(PasswordError::ContainsUsername)
        );
        assert_eq!(check_password("aaaaaaaaaaaa", "b"), Err(PasswordError::Common));
        assert_eq!(check_password("河流-山川-2026", "b"), Ok(()));
        assert!(is_common("Password123", "password123\nqwertyuiop\n"));
        assert!(!is_common("correct horse battery", "password123\n"));
    }
}
