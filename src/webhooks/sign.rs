//! Standard Webhooks 1.0 signatures: `v1,` and the base64 HMAC-SHA256, under the
//! secret's key, of `webhook-id.webhook-timestamp.body`.

use crate::{Error, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const PREFIX: &str = "whsec_";

/// A new secret: `whsec_` and 24 random bytes in base64, as the standard's
/// libraries read it.
pub fn new_secret() -> String {
    let mut key = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut key);
    format!("{PREFIX}{}", STANDARD.encode(key))
}

/// One secret's signature of a delivery.
pub fn signature(secret: &str, message_id: &str, timestamp: i64, body: &[u8]) -> Result<String> {
    let key = STANDARD
        .decode(secret.strip_prefix(PREFIX).unwrap_or(secret))
        .map_err(Error::internal)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(Error::internal)?;
    mac.update(format!("{message_id}.{timestamp}.").as_bytes());
    mac.update(body);
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The `webhook-signature` header: every secret in force, space-separated, so a
/// receiver verifies with either one while a rotation changes over.
pub fn header(secrets: &[&str], message_id: &str, timestamp: i64, body: &[u8]) -> Result<String> {
    let signatures = secrets
        .iter()
        .map(|s| signature(s, message_id, timestamp, body))
        .collect::<Result<Vec<_>>>()?;
    Ok(signatures.join(" "))
}

#[cfg(test)]
mod tests {
    /// The example of the Standard Webhooks specification.
    #[test]
    fn signs_the_specification_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let sig =
            super::signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(super::new_secret().starts_with("whsec_"));
    }
}
