//! Password hashing with argon2id at OWASP's parameters (19 MiB, t=2, p=1), run on
//! the blocking pool so that a burst of logins never stalls the async workers.
//! At most one hash per core runs at once and the rest wait their turn in order:
//! each hash holds 19 MiB, so a thousand concurrent logins cost what two do, and
//! none waits longer than `QUEUE_WAIT` before it is told to come back.

use crate::{Error, Result};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

const QUEUE_WAIT: Duration = Duration::from_secs(20);

/// Runs one hash or verification when a slot is free.
async fn run_hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _slot = tokio::time::timeout(QUEUE_WAIT, slots.acquire())
        .await
        .map_err(|_| Error::Unavailable)?
        .map_err(Error::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(Error::internal)
}

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks length in characters, never truncating what the user typed.
pub fn validate(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Err(format!("must be at least {MIN_LEN} characters"))
    } else if n > MAX_LEN {
        Err(format!("must be at most {MAX_LEN} characters"))
    } else {
        Ok(())
    }
}

pub async fn hash(password: String) -> Result<String> {
    run_hashing(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(Error::internal)
    })
    .await?
}

/// Verifies against the stored hash, or against a fixed dummy hash when the account
/// does not exist, so an unknown email costs the same time as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    let known = stored.is_some();
    let ok = run_hashing(move || {
        let stored = match &stored {
            Some(hash) => hash.as_str(),
            None => dummy_hash(),
        };
        let matches = PasswordHash::new(stored).is_ok_and(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        matches
    })
    .await?;
    Ok(ok && known)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"leadsy-dummy-password", &salt)
            .expect("hashing a constant")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies_without_truncation() {
        let long = "x".repeat(100);
        let h = hash(long.clone()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(long.clone(), Some(h.clone())).await.unwrap());
        assert!(!verify(format!("{long}y"), Some(h.clone())).await.unwrap());
        assert!(!verify("x".repeat(99), Some(h)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn length_rules() {
        assert!(validate("short").is_err());
        assert!(validate("exactly8").is_ok());
        assert!(validate(&"é".repeat(64)).is_ok());
        assert!(validate(&"a".repeat(129)).is_err());
    }
}
