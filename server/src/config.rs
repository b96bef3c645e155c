//! Configuration from the environment (and a `.env` file), every value with a default
//! so that `run` works on a fresh machine. The README documents each variable.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub public_url: String,
    pub jwt_secret: Option<String>,
    pub jwt_ttl_secs: i64,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub mail_from: String,
    pub restricted_domains: Vec<String>,
    pub max_avatar_bytes: usize,
    pub max_import_bytes: u64,
    pub import_batch_rows: usize,
    pub import_stale_secs: i64,
    pub db_max_connections: u32,
    /// Login, sign-up and reset attempts one address may make per minute.
    pub auth_attempts_per_minute: u32,
    pub log_json: bool,
}

impl Config {
    pub fn from_env() -> Config {
        let _ = dotenvy::dotenv();
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let num = |k: &str, d: i64| var(k).and_then(|v| v.parse().ok()).unwrap_or(d);
        let data_dir = PathBuf::from(var("LEADSY_DATA_DIR").unwrap_or_else(|| "data".into()));
        let defaults = leadsy::ctx::Settings::default();
        Config {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| format!("sqlite://{}/leadsy.db", data_dir.display())),
            public_url: var("LEADSY_PUBLIC_URL")
                .unwrap_or_else(|| "http://127.0.0.1:3000".into())
                .trim_end_matches('/')
                .to_string(),
            jwt_secret: var("JWT_SECRET"),
            jwt_ttl_secs: num("JWT_TTL_SECS", 24 * 3600),
            session_idle_secs: num("SESSION_IDLE_SECS", 7 * 24 * 3600),
            session_absolute_secs: num("SESSION_ABSOLUTE_SECS", 30 * 24 * 3600),
            smtp_host: var("SMTP_HOST"),
            smtp_port: num("SMTP_PORT", 25) as u16,
            smtp_username: var("SMTP_USERNAME"),
            smtp_password: var("SMTP_PASSWORD"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Leadsy <no-reply@leadsy.local>".into()),
            restricted_domains: var("RESTRICTED_EMAIL_DOMAINS")
                .map(|v| {
                    v.split(',')
                        .map(|d| d.trim().to_lowercase())
                        .filter(|d| !d.is_empty())
                        .collect()
                })
                .unwrap_or(defaults.restricted_domains),
            max_avatar_bytes: num("MAX_AVATAR_BYTES", defaults.max_avatar_bytes as i64) as usize,
            max_import_bytes: num("MAX_IMPORT_BYTES", defaults.max_import_bytes as i64) as u64,
            import_batch_rows: num("IMPORT_BATCH_ROWS", defaults.import_batch_rows as i64).max(1)
                as usize,
            import_stale_secs: num("IMPORT_STALE_SECS", defaults.import_stale_secs),
            db_max_connections: num("DB_MAX_CONNECTIONS", 10) as u32,
            auth_attempts_per_minute: num("AUTH_ATTEMPTS_PER_MINUTE", 20) as u32,
            log_json: var("LOG_FORMAT").is_some_and(|v| v == "json"),
            data_dir,
        }
    }

    /// Cookies get `Secure` only when Leadsy is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
