//! Random bearer secrets (reset tokens, API keys, invitation codes): 256 bits from
//! the OS, shown once, stored only as a SHA-256 digest so a database leak gives
//! no usable credential.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A URL-safe random secret with the given prefix, e.g. `lds_pt_…` for platform tokens.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_long_random_and_digested() {
        let a = super::generate("t_");
        let b = super::generate("t_");
        assert_ne!(a, b);
        assert_eq!(a.len(), 2 + 64);
        assert_eq!(super::digest(&a).len(), 64);
        assert_ne!(super::digest(&a), a);
    }
}
