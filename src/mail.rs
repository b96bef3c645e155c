//! Outgoing mail: over SMTP when configured, otherwise written as `.eml` files to an
//! outbox folder so that a fresh install can still follow every mailed link.

use crate::{Error, Result};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

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
    pub username: Option<String>,
    pub password: Option<String>,
}

impl Mailer {
    pub fn outbox(dir: PathBuf, from: &str) -> Result<Mailer> {
        Ok(Mailer {
            from: from.parse().map_err(Error::internal)?,
            transport: Transport::Outbox(dir),
        })
    }

    /// Plain SMTP to a relay (typically one on the same host or network).
    pub fn smtp(config: SmtpConfig, from: &str) -> Result<Mailer> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host).port(config.port);
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
