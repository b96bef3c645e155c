//! The tests' Python peers: the S3-compatible store files go to (moto), and the
//! webhook receiver the tests deliver to, `scripts/webhook-receiver.py`, which
//! verifies each delivery with the published Standard Webhooks library and logs it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// One of the tests' Python peers (`scripts/*.py`, run by the virtualenv
/// `scripts/setup.sh` makes), listening on a port of its own; killed when dropped.
pub struct Peer {
    child: Child,
    pub port: u16,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Peer {
    /// Starts `script` with its port first, then `args`, and waits until it listens.
    pub fn start(script: &str, args: &[String]) -> Peer {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join("target/test-venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: scripts/setup.sh installs the tests' Python peers",
            python.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(python)
            .arg(root.join("scripts").join(script))
            .arg(port.to_string())
            .args(args)
            .spawn()
            .unwrap_or_else(|e| panic!("{script} starts: {e}"));
        let peer = Peer { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "{script} listens");
            std::thread::sleep(Duration::from_millis(50));
        }
        peer
    }
}

/// An S3-compatible server (moto) with one empty bucket, and how to reach it.
pub struct Bucket {
    _peer: Peer,
    pub config: leadsy::storage::S3Config,
}

impl Bucket {
    /// Waits until the bucket takes a file: the port opens before it is made.
    pub async fn start(name: &str) -> Bucket {
        let peer = Peer::start("s3-server.py", &[name.into()]);
        let config = leadsy::storage::S3Config {
            bucket: name.into(),
            endpoint: Some(format!("http://127.0.0.1:{}", peer.port)),
            region: Some("us-east-1".into()),
            access_key_id: Some("test".into()),
            secret_access_key: Some("test".into()),
        };
        let storage = leadsy::storage::Storage::s3(&config, "http://127.0.0.1:3000").unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Err(e) = storage.check().await {
            assert!(Instant::now() < deadline, "the bucket answers: {e}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Bucket {
            _peer: peer,
            config,
        }
    }
}

/// The Standard Webhooks receiver.
pub struct Receiver {
    _peer: Peer,
    pub url: String,
    log: PathBuf,
    secrets: PathBuf,
}

impl Receiver {
    pub fn start(dir: &Path, fail_every: u32) -> Receiver {
        // Several receivers may share a test's folder.
        static STARTED: AtomicU32 = AtomicU32::new(0);
        let name = STARTED.fetch_add(1, Ordering::Relaxed);
        let (log, secrets) = (
            dir.join(format!("received-{name}.jsonl")),
            dir.join(format!("secrets-{name}")),
        );
        let peer = Peer::start(
            "webhook-receiver.py",
            &[
                log.display().to_string(),
                secrets.display().to_string(),
                fail_every.to_string(),
            ],
        );
        Receiver {
            url: format!("http://127.0.0.1:{}", peer.port),
            _peer: peer,
            log,
            secrets,
        }
    }

    pub fn trust(&self, secrets: &[&str]) {
        std::fs::write(&self.secrets, secrets.join("\n")).unwrap();
    }

    /// What has arrived so far: the lines the receiver has finished writing (the
    /// last one may be half-written while it is read).
    pub fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .split_inclusive('\n')
            .filter(|l| l.ends_with('\n'))
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits until `done` holds of what arrived.
    pub async fn until(&self, what: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        self.until_within(Duration::from_secs(60), what, done).await
    }

    pub async fn until_within(
        &self,
        within: Duration,
        what: &str,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.received();
            if done(&got) {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{what}; received {} requests",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
