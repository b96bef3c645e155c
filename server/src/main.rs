use leadsy_server::{app, cli, config::Config, leptos_options, state};
use std::net::SocketAddr;
use tower_sessions::session_store::ExpiredDeletion;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> leadsy_server::StartResult<()> {
    let config = Config::from_env();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if config.log_json {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .json()
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if cli::run(&args, &config).await? {
        return Ok(());
    }

    let addr: SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .or_else(|_| std::env::var("LEADSY_ADDR"))
        .unwrap_or_else(|_| "127.0.0.1:3000".into())
        .parse()?;
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let state = state(config, leptos_options(&site_root, addr)).await?;
    // Before the workers start, so their first counts are kept.
    leadsy_server::metrics::recorder();

    let store = leadsy_server::auth::session_store::DbSessionStore::new(state.ctx.db.pool.clone());
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });

    let workers = [
        leadsy_server::spawn_import_worker(&state.ctx),
        leadsy_server::spawn_webhook_worker(&state.ctx),
        leadsy_server::spawn_job_worker(&state.ctx),
    ];
    leadsy_server::spawn_search_reindex(&state.ctx);
    let assets = state.assets.clone();
    tokio::task::spawn_blocking(move || assets.warm());

    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Leadsy listening on http://{addr}");
    let limits = state.config.limits;
    let stop = state.ctx.stop.clone();
    let stopping = {
        let stop = stop.clone();
        async move {
            shutdown().await;
            stop.ask();
        }
    };
    // Once a stop is asked, the workers commit the batch in hand and hand their
    // claims back while the requests in flight finish: one grace period for both.
    let grace = std::time::Duration::from_secs(limits.shutdown_grace_secs);
    let workers_done = async move {
        stop.asked_for().await;
        let finished = async {
            for worker in workers {
                let _ = worker.await;
            }
        };
        if tokio::time::timeout(grace, finished).await.is_err() {
            tracing::warn!(
                "the workers did not stop within the grace period; their claims go stale"
            );
        }
    };
    tokio::join!(
        leadsy_server::serve::serve(listener, app(state), limits, stopping),
        workers_done
    );
    tracing::info!("Leadsy stopped");
    Ok(())
}

/// Stops on Ctrl-C or SIGTERM, letting requests in flight finish.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
