//! `leadsy-server bench-logins`: starts this binary as a server in its own process
//! on a scratch SQLite database, then fires bursts of concurrent logins at it over
//! HTTP and prints, for each burst, the server's peak resident memory (sampled
//! from `/proc`) and the p99 latency, each against the idle server in the same run.

use crate::StartResult;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const EMAIL: &str = "bench@leadsy.test";
const PASSWORD: &str = "bench-password-1";

pub async fn run(bursts: &[usize]) -> StartResult<()> {
    let dir = std::env::temp_dir().join(format!("leadsy-bench-logins-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let addr: SocketAddr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
        probe.local_addr()?
    };
    let mut server = Server::start(&dir, addr)?;
    let result = bench(&server, addr, bursts).await;
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn bench(server: &Server, addr: SocketAddr, bursts: &[usize]) -> StartResult<()> {
    let signup = format!(
        r#"{{"email":"{EMAIL}","password":"{PASSWORD}","first_name":"Bench","last_name":"Mark"}}"#
    );
    let (status, _) = post(addr, "/api/v1/users", &signup).await?;
    if status != 201 {
        return Err(format!("sign-up answered {status}").into());
    }
    let idle_rss = server.rss_mb();
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(login(addr).await?);
    }
    let idle_p99 = p99(&mut idle);
    println!(
        "idle server: {idle_rss:.1} MB resident, login p99 {:.0} ms (20 one after another)",
        ms(idle_p99)
    );
    println!("\n| concurrent logins | peak memory (MB) | ratio to idle | p99 (ms) | ratio to idle | refused |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for &n in bursts {
        let sampler = server.sample_peak();
        let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(login(addr))).collect();
        let mut times = Vec::new();
        let mut refused = 0;
        for t in tasks {
            match t.await? {
                Ok(d) => times.push(d),
                Err(_) => refused += 1,
            }
        }
        let peak = sampler.finish().await;
        let p = p99(&mut times);
        println!(
            "| {n} | {peak:.1} | {:.2} | {:.0} | {:.1} | {refused} |",
            peak / idle_rss,
            ms(p),
            p.as_secs_f64() / idle_p99.as_secs_f64()
        );
    }
    Ok(())
}

async fn login(addr: SocketAddr) -> StartResult<Duration> {
    let body = format!(r#"{{"email":"{EMAIL}","password":"{PASSWORD}"}}"#);
    let started = Instant::now();
    let (status, _) = post(addr, "/api/v1/users/login", &body).await?;
    if status != 200 {
        return Err(format!("login answered {status}").into());
    }
    Ok(started.elapsed())
}

/// One HTTP/1.1 request on its own connection; the status and the body.
async fn post(addr: SocketAddr, path: &str, body: &str) -> StartResult<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn p99(times: &mut [Duration]) -> Duration {
    times.sort();
    times
        .get((times.len() * 99).div_ceil(100).saturating_sub(1))
        .copied()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Server {
    child: Child,
}

impl Server {
    fn start(dir: &std::path::Path, addr: SocketAddr) -> StartResult<Server> {
        let child = Command::new(std::env::current_exe()?)
            .env("LEADSY_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEADSY_DATA_DIR", dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/bench.db", dir.display()),
            )
            .env("AUTH_ATTEMPTS_PER_MINUTE", "1000000")
            .env("MAX_CONNECTIONS", "4096")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        let started = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            if started.elapsed() > Duration::from_secs(60) {
                return Err("the server did not start within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Server { child })
    }

    fn rss_mb(&self) -> f64 {
        rss_mb(self.child.id())
    }

    /// Samples the server's resident memory every 5 ms until `finish`.
    fn sample_peak(&self) -> Sampler {
        let pid = self.child.id();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut peak: f64 = 0.0;
            loop {
                peak = peak.max(rss_mb(pid));
                tokio::select! {
                    _ = &mut stopped => return peak,
                    _ = tokio::time::sleep(Duration::from_millis(5)) => {}
                }
            }
        });
        Sampler { stop, task }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Sampler {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<f64>,
}

impl Sampler {
    async fn finish(self) -> f64 {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_default()
    }
}

fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
