//! Outgoing mail: over SMTP when configured, otherwise written as `.eml` files to an
//! outbox folder so that a fresh install can still follow every mailed link.

use crate::{Error, Result};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// PEM certificates to trust besides the public roots: a private relay's CA.
    pub ca_pem: Option<Vec<u8>>,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// How the connection to the relay is secured. Hosted relays take one of the
/// two TLS ways; a certificate no root vouches for is refused, never ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// A plain connection upgraded by STARTTLS before anything is sent; a relay
    /// that does not offer it gets nothing (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Implicit,
    /// No TLS: only for a relay on the same host or a network trusted as much.
    None,
}

impl SmtpTls {
    /// `starttls`, `tls` (also `ssl`, `smtps`) or `none`; `None` for any other
    /// word, which the server refuses to start with rather than guess.
    pub fn parse(raw: &str) -> Option<SmtpTls> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(SmtpTls::StartTls),
            "tls" | "ssl" | "smtps" | "implicit" => Some(SmtpTls::Implicit),
            "none" => Some(SmtpTls::None),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Implicit => 465,
            SmtpTls::None => 25,
        }
    }
}

impl Mailer {
    pub fn outbox(dir: PathBuf, from: &str) -> Result<Mailer> {
        Ok(Mailer {
            from: from.parse().map_err(Error::internal)?,
            transport: Transport::Outbox(dir),
        })
    }

    /// SMTP to a relay, over TLS unless told otherwise (rustls, with the public
    /// roots and any configured CA), signed in when credentials are given.
    pub fn smtp(config: SmtpConfig, from: &str) -> Result<Mailer> {
        let params = || {
            let mut params = TlsParameters::builder(config.host.clone());
            if let Some(pem) = &config.ca_pem {
                params = params
                    .add_root_certificate(Certificate::from_pem(pem).map_err(Error::internal)?);
            }
            params.build().map_err(Error::internal)
        };
        let tls = match config.tls {
            SmtpTls::StartTls => Tls::Required(params()?),
            SmtpTls::Implicit => Tls::Wrapper(params()?),
            SmtpTls::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(u), Some(p)) = (config.username, config.password) {
            builder = builder.credentials(Credentials::new(u, p));
        }
        Ok(Mailer {
            from: from.parse().map_err(Error::internal)?,
            transport: Transport::Smtp(builder.build()),
        })
    }

    /// Sends in the background: the request answers at once, so neither the
    /// relay's delay nor its failure tells the caller anything (whether an address
    /// has an account, say). A failure is logged where it happens.
    pub fn send_later(&self, to: &str, subject: &str, body: String) {
        let (mailer, to, subject) = (self.clone(), to.to_string(), subject.to_string());
        tokio::spawn(async move {
            let _ = mailer.send(&to, &subject, body).await;
        });
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to
                .parse()
                .map_err(|_| Error::field("email", "is not a valid address"))?)
            .subject(subject)
            .body(body)
            .map_err(Error::internal)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(Error::internal)?;
            }
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(Error::internal)?;
                // Named by the time it was written, to the nanosecond: they list in order.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                let name = format!("{nanos:020}-{}.eml", &crate::secret::generate("")[..12]);
                let path = dir.join(name);
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(Error::internal)?;
                tracing::info!(to, subject, path = %path.display(), "mail written to the outbox");
            }
        }
        Ok(())
    }
}
