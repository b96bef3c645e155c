//! Configuration from the environment (and a `.env` file), every value with a default
//! so that `run` works on a fresh machine. The README documents each variable.

use leadsy::mail::SmtpTls;
use leadsy::storage::S3Config;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Files go to this bucket instead of `data_dir`.
    pub s3: Option<S3Config>,
    /// Set on a single server on PostgreSQL, which may then keep its JWT secret
    /// and files to itself.
    pub runs_alone: bool,
    pub public_url: String,
    pub jwt_secret: Option<String>,
    pub jwt_ttl_secs: i64,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `None` when `SMTP_TLS` names no known way: the server refuses to start
    /// with mail configured.
    pub smtp_tls: Option<SmtpTls>,
    /// PEM certificates the relay's may chain to besides the public roots.
    pub smtp_ca_file: Option<PathBuf>,
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
    /// The header a trusted reverse proxy sets to the client's address
    /// (`X-Forwarded-For`); unset, the peer's address is the client's.
    pub client_ip_header: Option<String>,
    pub limits: Limits,
    /// Days an import's uploaded file is kept after the import ends.
    pub import_retention_days: i64,
    pub log_json: bool,
    /// The bearer token `/metrics` asks for; unset, it is open (keep it off the
    /// public network then).
    pub metrics_token: Option<String>,
    pub webhook_allow_private: bool,
    pub webhook_timeout_secs: u64,
    pub webhook_retry_delays: Vec<i64>,
    /// How long an endpoint may fail every delivery before it is turned off.
    pub webhook_give_up_secs: i64,
}

/// What one connection or request may take of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A client must send a request's headers within this, and an idle
    /// keep-alive connection is closed after it.
    pub header_read_secs: u64,
    /// A request must be answered within this, its body included (uploads apart).
    pub request_secs: u64,
    /// An upload (imports, avatars) must arrive within this.
    pub upload_secs: u64,
    /// The longest pause inside a request body before the request is refused.
    pub body_idle_secs: u64,
    /// How long requests in flight may finish after a stop is asked for.
    pub shutdown_grace_secs: u64,
    /// Open connections at once; more wait in the listen queue.
    pub max_connections: usize,
    /// The largest JSON or form body, and each text part of a page's upload.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_secs: 10,
            request_secs: 30,
            upload_secs: 15 * 60,
            body_idle_secs: 15,
            shutdown_grace_secs: 20,
            max_connections: 1024,
            max_body_bytes: 1024 * 1024,
        }
    }
}

impl Config {
    pub fn from_env() -> Config {
        let _ = dotenvy::dotenv();
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let num = |k: &str, d: i64| var(k).and_then(|v| v.parse().ok()).unwrap_or(d);
        let data_dir = PathBuf::from(var("LEADSY_DATA_DIR").unwrap_or_else(|| "data".into()));
        let defaults = leadsy::ctx::Settings::default();
        let limits = Limits::default();
        let smtp_tls = var("SMTP_TLS").map_or(Some(SmtpTls::StartTls), |v| SmtpTls::parse(&v));
        Config {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| format!("sqlite://{}/leadsy.db", data_dir.display())),
            public_url: var("LEADSY_PUBLIC_URL")
                .unwrap_or_else(|| "http://127.0.0.1:3000".into())
                .trim_end_matches('/')
                .to_string(),
            s3: var("S3_BUCKET").map(|bucket| S3Config {
                bucket,
                endpoint: var("S3_ENDPOINT"),
                region: var("S3_REGION"),
                access_key_id: var("S3_ACCESS_KEY_ID"),
                secret_access_key: var("S3_SECRET_ACCESS_KEY"),
            }),
            runs_alone: var("LEADSY_RUNS_ALONE").is_some_and(|v| v == "1"),
            jwt_secret: var("JWT_SECRET"),
            jwt_ttl_secs: num("JWT_TTL_SECS", 24 * 3600),
            session_idle_secs: num("SESSION_IDLE_SECS", 7 * 24 * 3600),
            session_absolute_secs: num("SESSION_ABSOLUTE_SECS", 30 * 24 * 3600),
            smtp_host: var("SMTP_HOST"),
            smtp_port: num(
                "SMTP_PORT",
                smtp_tls.unwrap_or(SmtpTls::StartTls).default_port().into(),
            ) as u16,
            smtp_tls,
            smtp_ca_file: var("SMTP_CA_FILE").map(PathBuf::from),
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
            client_ip_header: var("CLIENT_IP_HEADER"),
            limits: Limits {
                header_read_secs: num("HEADER_READ_TIMEOUT_SECS", limits.header_read_secs as i64)
                    .max(1) as u64,
                request_secs: num("REQUEST_TIMEOUT_SECS", limits.request_secs as i64).max(1) as u64,
                upload_secs: num("UPLOAD_TIMEOUT_SECS", limits.upload_secs as i64).max(1) as u64,
                body_idle_secs: num("BODY_TIMEOUT_SECS", limits.body_idle_secs as i64).max(1)
                    as u64,
                shutdown_grace_secs: num("SHUTDOWN_GRACE_SECS", limits.shutdown_grace_secs as i64)
                    .max(0) as u64,
                max_connections: num("MAX_CONNECTIONS", limits.max_connections as i64).max(1)
                    as usize,
                max_body_bytes: num("MAX_BODY_BYTES", limits.max_body_bytes as i64).max(1024)
                    as usize,
            },
            import_retention_days: num("IMPORT_RETENTION_DAYS", 7).max(0),
            log_json: var("LOG_FORMAT").is_some_and(|v| v == "json"),
            metrics_token: var("METRICS_TOKEN"),
            webhook_allow_private: var("WEBHOOK_ALLOW_PRIVATE").is_some_and(|v| v == "1"),
            webhook_timeout_secs: num("WEBHOOK_TIMEOUT_SECS", defaults.webhook_timeout_secs as i64)
                .clamp(1, 60) as u64,
            webhook_retry_delays: var("WEBHOOK_RETRY_DELAYS")
                .and_then(|v| {
                    v.split(',')
                        .map(|d| d.trim().parse::<i64>().ok().filter(|d| *d > 0))
                        .collect()
                })
                .unwrap_or(defaults.webhook_retry_delays),
            webhook_give_up_secs: num("WEBHOOK_GIVE_UP_SECS", defaults.webhook_give_up_secs).max(1),
            data_dir,
        }
    }

    /// Cookies get `Secure` only when Leadsy is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
