//! JWTs for the REST API: HS256 only (the algorithm is pinned, never read from the
//! token), `exp` always checked, secret from configuration or generated once and
//! kept under the data directory. A token carries the credentials version it was
//! granted under (`ver`), so a password reset or change ends it.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use leadsy::{actor::Grant, time::Timestamp, Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const MIN_SECRET_BYTES: usize = 32;

/// Writes a secret into a file that only the owner can ever read: created 0600
/// (replacing any older one), never readable by others even for an instant.
fn write_private(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    /// The credentials version; tokens from before versions existed are at 0.
    #[serde(default)]
    pub ver: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Still to be checked against the user's current credentials version.
    pub grant: Grant,
    pub expires_at: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl_secs: i64) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    /// Uses the configured secret (at least `MIN_SECRET_BYTES`: HS256 is only as
    /// strong as its key), else the one kept in `data_dir`, else makes one.
    pub fn load(
        configured: Option<&str>,
        data_dir: &Path,
        ttl_secs: i64,
    ) -> std::io::Result<JwtKeys> {
        if let Some(s) = configured {
            if s.len() < MIN_SECRET_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long"),
                ));
            }
            return Ok(JwtKeys::new(s.as_bytes(), ttl_secs));
        }
        let path = data_dir.join("jwt_secret");
        let secret = match std::fs::read_to_string(&path) {
            Ok(s) if s.trim().len() >= MIN_SECRET_BYTES => s.trim().to_string(),
            _ => {
                std::fs::create_dir_all(data_dir)?;
                let s = leadsy::secret::generate("");
                write_private(&path, &s)?;
                s
            }
        };
        Ok(JwtKeys::new(secret.as_bytes(), ttl_secs))
    }

    pub fn issue(&self, grant: Grant) -> Result<String> {
        let now = Timestamp::now().0;
        let claims = Claims {
            sub: grant.user_id.to_string(),
            iat: now,
            exp: now + self.ttl_secs,
            ver: grant.version,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(Error::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Verified> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| Error::unauthorized())?;
        let user_id = data.claims.sub.parse().map_err(|_| Error::unauthorized())?;
        Ok(Verified {
            grant: Grant {
                user_id,
                version: data.claims.ver,
            },
            expires_at: data.claims.exp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_and_verifies_and_refuses_tampering() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 60);
        let grant = Grant {
            user_id: 7,
            version: 3,
        };
        let t = keys.issue(grant).unwrap();
        assert_eq!(keys.verify(&t).unwrap().grant, grant);
        let other = JwtKeys::new(b"another-secret-another-secret-xx", 60);
        assert!(other.verify(&t).is_err());
        let expired = JwtKeys::new(b"0123456789abcdef0123456789abcdef", -10);
        assert!(keys.verify(&expired.issue(grant).unwrap()).is_err());
        let none_alg =
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiI3IiwiZXhwIjo5OTk5OTk5OTk5fQ.";
        assert!(keys.verify(none_alg).is_err());
    }

    #[test]
    fn secrets_are_long_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let short = JwtKeys::load(Some("too-short"), dir.path(), 60);
        assert!(short
            .err()
            .unwrap()
            .to_string()
            .contains("at least 32 bytes"));
        let made = JwtKeys::load(None, dir.path(), 60).unwrap();
        let path = dir.path().join("jwt_secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = JwtKeys::load(None, dir.path(), 60).unwrap();
        let t = made
            .issue(Grant {
                user_id: 1,
                version: 0,
            })
            .unwrap();
        assert!(again.verify(&t).is_ok());
    }
}
