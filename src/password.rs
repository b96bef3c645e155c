//! Password hashing with argon2id at OWASP's parameters (19 MiB, t=2, p=1), off the
//! async workers so that a burst of logins never stalls them. Hashes run on a few
//! threads of their own, one per core, and the rest wait their turn in order: each
//! hash holds 19 MiB, and the allocator keeps what a thread used for that thread, so
//! a fixed set of threads keeps memory flat however many logins arrive at once. None
//! waits longer than `QUEUE_WAIT` before it is told to come back (503).

use crate::{Error, Result};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{oneshot, Semaphore};

const QUEUE_WAIT: Duration = Duration::from_secs(20);

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads and the slots that admit work to them.
struct Hashers {
    slots: Semaphore,
    jobs: Mutex<mpsc::Sender<Job>>,
}

fn hashers() -> &'static Hashers {
    static HASHERS: OnceLock<Hashers> = OnceLock::new();
    HASHERS.get_or_init(|| {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (send, receive) = mpsc::channel::<Job>();
        let receive = std::sync::Arc::new(Mutex::new(receive));
        for i in 0..n {
            let receive = receive.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    let job = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        // A panic loses its one answer (an internal error), not the thread.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                })
                .expect("a hashing thread starts");
        }
        Hashers {
            slots: Semaphore::new(n),
            jobs: Mutex::new(send),
        }
    })
}

/// Runs one hash or verification on a hashing thread once a slot is free.
async fn run_hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let pool = hashers();
    let _slot = tokio::time::timeout(QUEUE_WAIT, pool.slots.acquire())
        .await
        .map_err(|_| Error::Unavailable)?
        .map_err(Error::internal)?;
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    pool.jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(job)
        .map_err(Error::internal)?;
    result.await.map_err(Error::internal)
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
