//! Mail over TLS to a real SMTP server (`scripts/smtp-receiver.py`, aiosmtpd) with
//! a certificate of its own: STARTTLS and implicit TLS, signed in; a wrong
//! password, an untrusted certificate and a relay that never answers are failures,
//! never a mail sent in the clear.

use crate::receiver::Peer;
use crate::support::TestApp;
use axum::http::StatusCode;
use leadsy::mail::{Mailer, SmtpConfig, SmtpTls};
use leadsy_server::config::Config;
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// An SMTP server that needs TLS and a sign-in.
struct Relay {
    peer: Peer,
    dir: tempfile::TempDir,
}

impl Relay {
    fn start(tls: SmtpTls) -> Relay {
        let dir = tempfile::tempdir().unwrap();
        let mode = match tls {
            SmtpTls::StartTls => "starttls",
            SmtpTls::Implicit => "tls",
            SmtpTls::None => unreachable!("the relay always needs TLS"),
        };
        // It writes its certificate before it listens.
        let peer = Peer::start(
            "smtp-receiver.py",
            &[
                mode.into(),
                dir.path().display().to_string(),
                "leadsy".into(),
                "relay-password".into(),
            ],
        );
        Relay { peer, dir }
    }

    fn cert_file(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    fn config(&self, tls: SmtpTls, password: &str) -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.peer.port,
            tls,
            ca_pem: Some(std::fs::read(self.cert_file()).unwrap()),
            username: Some("leadsy".into()),
            password: Some(password.into()),
        }
    }

    /// The messages received so far, whole.
    fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("mail")) else {
            return Vec::new();
        };
        let mut names: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// Waits for a message that `wanted` picks.
    async fn until(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(mail) = self.received().into_iter().find(|m| wanted(m)) {
                return mail;
            }
            assert!(Instant::now() < deadline, "{what} arrives");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test]
async fn mail_goes_out_over_starttls_and_implicit_tls_signed_in() {
    for tls in [SmtpTls::StartTls, SmtpTls::Implicit] {
        let relay = Relay::start(tls);
        let mailer = Mailer::smtp(
            relay.config(tls, "relay-password"),
            "Leadsy <no-reply@leadsy.test>",
        )
        .unwrap();
        mailer
            .send(
                "ana@example.com",
                "Over TLS",
                "Hello through the relay".into(),
            )
            .await
            .unwrap_or_else(|e| panic!("{tls:?}: {e}"));
        let got = relay
            .until("the mail", |m| m.contains("Subject: Over TLS"))
            .await;
        assert!(got.contains("X-Envelope-To: ana@example.com"), "{got}");
        assert!(got.contains("X-Authenticated: True"), "{got}");
        assert!(got.contains("Hello through the relay"), "{got}");
    }
}

#[tokio::test]
async fn a_wrong_password_or_an_untrusted_certificate_sends_nothing() {
    for tls in [SmtpTls::StartTls, SmtpTls::Implicit] {
        let relay = Relay::start(tls);
        let wrong = Mailer::smtp(
            relay.config(tls, "not-the-password"),
            "no-reply@leadsy.test",
        )
        .unwrap();
        assert!(wrong
            .send("ana@example.com", "x", "x".into())
            .await
            .is_err());
        let untrusted = Mailer::smtp(
            SmtpConfig {
                ca_pem: None,
                ..relay.config(tls, "relay-password")
            },
            "no-reply@leadsy.test",
        )
        .unwrap();
        assert!(
            untrusted
                .send("ana@example.com", "x", "x".into())
                .await
                .is_err(),
            "{tls:?}: a certificate no root vouches for is refused"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(relay.received().is_empty());
    }
}

#[tokio::test]
async fn a_password_reset_mail_reaches_the_relay_through_the_configured_server() {
    let relay = Relay::start(SmtpTls::StartTls);
    let (port, ca) = (relay.peer.port, relay.cert_file());
    let app = TestApp::spawn_with(|c: &mut Config| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_tls = Some(SmtpTls::StartTls);
        c.smtp_ca_file = Some(ca);
        c.smtp_username = Some("leadsy".into());
        c.smtp_password = Some("relay-password".into());
    })
    .await;
    // Its verification mail goes to the relay too, not to the outbox.
    app.unverified_user("ana@example.com").await;
    relay
        .until("the verification mail", |m| {
            m.contains("Subject: Confirm your email")
        })
        .await;
    let r = app
        .post(
            "/api/v1/users/password_reset",
            None,
            json!({"email": "ana@example.com"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mail = relay
        .until("the reset mail", |m| {
            m.contains("Subject: Reset your Leadsy password")
        })
        .await;
    assert!(mail.contains("X-Envelope-To: ana@example.com"), "{mail}");
}

#[tokio::test]
async fn a_server_told_an_unknown_tls_way_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = leadsy::db::scratch(None, dir.path()).await.unwrap();
    let mut config = Config::from_env();
    config.data_dir = dir.path().to_path_buf();
    config.jwt_secret = Some("test-secret-test-secret-test-secret!".into());
    config.smtp_host = Some("127.0.0.1".into());
    config.smtp_tls = SmtpTls::parse("tsl");
    let options = leadsy_server::leptos_options("target/site", "127.0.0.1:3000".parse().unwrap());
    let refused = leadsy_server::state_with_db(config, options, db).await;
    let why = refused
        .err()
        .expect("no server with mail it cannot send")
        .to_string();
    assert!(why.contains("SMTP_TLS"), "{why}");
    assert_eq!(SmtpTls::parse("SSL"), Some(SmtpTls::Implicit));
    assert_eq!(SmtpTls::parse(" starttls "), Some(SmtpTls::StartTls));
}
