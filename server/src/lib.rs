//! The Leadsy server: configuration, the router (pages, server functions, `/api/v1`,
//! files), authentication, and the operator's command line.

// The pages' view types nest deeply, and their futures are laid out here.
#![recursion_limit = "256"]

pub mod api;
pub mod assets;
pub mod auth;
pub mod bench;
pub mod bench_events;
pub mod bench_hygiene;
pub mod bench_import;
pub mod bench_logins;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod files;
pub mod forms;
pub mod headers;
pub mod health;
pub mod metrics;
pub mod rate_limit;
pub mod refusals;
pub mod serve;
pub mod state;

use auth::{jwt::JwtKeys, session_store::DbSessionStore};
use axum::Router;
use config::Config;
use leadsy::ctx::Settings;
use leadsy::{db::Db, events::Door, mail::Mailer, storage::Storage, Ctx};
use leadsy_app::pages::api_docs::OpenApiJson;
use leadsy_app::session::SessionPolicy;
use leadsy_app::{shell, App};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use state::AppState;
use std::sync::{Arc, OnceLock};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;
use tracing::Instrument;

/// Connects the database (migrating it) and the services.
pub async fn context(config: &Config) -> StartResult<Ctx> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    services(config, db)
}

fn services(config: &Config, db: Db) -> StartResult<Ctx> {
    let settings = Settings {
        public_url: config.public_url.clone(),
        restricted_domains: config.restricted_domains.clone(),
        max_avatar_bytes: config.max_avatar_bytes,
        max_import_bytes: config.max_import_bytes,
        import_batch_rows: config.import_batch_rows,
        import_stale_secs: config.import_stale_secs,
        import_retention_secs: config.import_retention_days * 24 * 3600,
        webhook_allow_private: config.webhook_allow_private,
        webhook_timeout_secs: config.webhook_timeout_secs,
        webhook_retry_delays: config.webhook_retry_delays.clone(),
        webhook_give_up_secs: config.webhook_give_up_secs,
        ..Settings::default()
    };
    let mailer = match &config.smtp_host {
        Some(host) => {
            let tls = config
                .smtp_tls
                .ok_or("SMTP_TLS must be starttls, tls (or ssl) or none")?;
            let mailer = Mailer::smtp(
                leadsy::mail::SmtpConfig {
                    host: host.clone(),
                    port: config.smtp_port,
                    tls,
                    ca_pem: match &config.smtp_ca_file {
                        Some(path) => Some(std::fs::read(path).map_err(|e| {
                            format!("SMTP_CA_FILE {} cannot be read: {e}", path.display())
                        })?),
                        None => None,
                    },
                    username: config.smtp_username.clone(),
                    password: config.smtp_password.clone(),
                },
                &config.mail_from,
            )?;
            tracing::info!(
                host,
                port = config.smtp_port,
                ?tls,
                "mail goes out over SMTP"
            );
            mailer
        }
        None => Mailer::outbox(config.data_dir.join("outbox"), &config.mail_from)?,
    };
    let storage = match &config.s3 {
        Some(s3) => Storage::s3(s3, &config.public_url)?,
        None => Storage::local(&config.data_dir.join("files"), &config.public_url)?,
    };
    Ok(Ctx {
        db,
        mailer,
        storage,
        settings: Arc::new(settings),
        import_queued: Default::default(),
        job_queued: Default::default(),
        budgets: Default::default(),
        stop: Default::default(),
        door: Door::Cli,
    })
}

/// Starts this process's import worker; it runs until `ctx.stop` is asked.
pub fn spawn_import_worker(ctx: &Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(leadsy::imports::worker::run(ctx.clone(), instance_name()))
}

/// Starts this process's job worker (bulk changes, large exports); it runs until
/// `ctx.stop` is asked.
pub fn spawn_job_worker(ctx: &Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(leadsy::jobs::worker::run(ctx.clone(), instance_name()))
}

/// Starts this process's webhook worker; it runs until `ctx.stop` is asked.
pub fn spawn_webhook_worker(ctx: &Ctx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(leadsy::webhooks::worker::run(ctx.clone(), instance_name()))
}

/// Rewrites, in the background, the search words of leads stored before the
/// current index (a no-op once done).
pub fn spawn_search_reindex(ctx: &Ctx) {
    let ctx = ctx.clone();
    tokio::spawn(async move {
        if let Err(e) = leadsy::leads::search::reindex(&ctx).await {
            tracing::error!(error = %e, "reindexing leads for search stopped; it resumes at the next start");
        }
    });
}

/// What a worker of this process calls itself in its claims.
fn instance_name() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        &leadsy::secret::generate("")[..8]
    )
}

/// What start-up and the operator commands can fail with, before anything is served.
pub type StartResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub fn leptos_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("leadsy")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .reload_port(3001)
        .build()
}

/// The page routes, generated once per process. Generating them renders the app
/// with a process-wide flag up that leaves any resource first polled meanwhile
/// pending for ever (leptos-rs/leptos#4773), so a second generation while another
/// router already serves pages (tests build many) could hang a render.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: pages and server functions, `/api/v1`, files.
pub fn app(state: AppState) -> Router {
    metrics::recorder();
    let routes = route_list();
    let ctx = state.ctx.clone();
    let policy = SessionPolicy {
        absolute_secs: state.config.session_absolute_secs,
    };
    let openapi = OpenApiJson(Arc::new(
        serde_json::to_value(api::openapi()).expect("the OpenAPI document serializes"),
    ));
    let context = move || {
        headers::provide_request_nonce();
        leadsy_app::components::form::provide_replayed();
        provide_context(ctx.through(Door::Page));
        provide_context(policy);
        provide_context(openapi.clone());
    };
    let options = state.leptos_options.clone();
    let client_header = state
        .config
        .client_ip_header
        .as_deref()
        .and_then(|h| axum::http::HeaderName::try_from(h).ok());
    let sessions = auth::sessions::layer(
        DbSessionStore::new(state.ctx.db.pool.clone()),
        &state.config,
    );
    let router = Router::new()
        .nest("/api/v1", api::router(state.ctx.settings.max_avatar_bytes))
        .merge(health::router())
        .merge(files::router(state.ctx.storage.clone()))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .route("/metrics", axum::routing::get(metrics::serve))
        .route_layer(axum::middleware::from_fn(metrics::name_route))
        .route_layer(axum::middleware::from_fn(caller_span))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            state.assets.clone(),
            assets::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            csrf::Origin::of_url(&state.config.public_url),
            csrf::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            rate_limit::RateLimiter::per_minute(
                state.ctx.db.clone(),
                state.config.auth_attempts_per_minute,
                client_header,
            ),
            rate_limit::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            serve::BodyLimits::new(&state.config),
            serve::limit_bodies,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.config.limits,
            serve::in_time,
        ))
        .layer(axum::middleware::from_fn(refusals::dress));
    let policy = headers::Policy::new(
        &state.config.public_url,
        std::env::var_os("LEPTOS_WATCH").map(|_| state.leptos_options.reload_port),
    );
    let replay = forms::Replay::new(&state.config);
    let inner = router.with_state(state);
    // A refused form renders its page again through the layers below it; the
    // headers, compression and the request log then dress that page like any.
    inner
        .clone()
        .layer(axum::middleware::from_fn_with_state(
            replay.over(inner),
            forms::replay,
        ))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            headers::secure,
        ))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(5)),
        )
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(axum::middleware::from_fn(metrics::track))
}

/// The request's span names its method and path, without the query (reset and
/// verification tokens travel there) and with invitation codes blanked, so no log
/// level ever shows a live secret.
fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let path = req.uri().path();
    let shown = match path.split_once("/invitations/") {
        Some((head @ ("" | "/api/v1"), rest)) if !rest.is_empty() => {
            let after = rest.find('/').map_or("", |i| &rest[i..]);
            format!("{head}/invitations/{{code}}{after}")
        }
        _ => path.to_string(),
    };
    tracing::info_span!("request", method = %req.method(), path = %shown)
}

/// Each route's own span, inside every layer (the sessions layer opens one of its
/// own): the membership check (`Member::check`) names the company and the caller
/// on it, so every line logged while the route runs says whose request it was.
async fn caller_span(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let span = tracing::info_span!(
        "caller",
        company_id = tracing::field::Empty,
        user_id = tracing::field::Empty,
        key_id = tracing::field::Empty,
    );
    next.run(req).instrument(span).await
}

/// Builds the state from configuration: database, services, JWT keys.
pub async fn state(config: Config, leptos_options: LeptosOptions) -> StartResult<AppState> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    let state = state_with_db(config, leptos_options, db).await?;
    state
        .ctx
        .storage
        .check()
        .await
        .map_err(|e| format!("the file store cannot be reached: {e}"))?;
    shares_what_instances_share(&state.config, &state.ctx)?;
    Ok(state)
}

/// Instances on one PostgreSQL serve each other's users: each must accept the
/// others' tokens and read the files they stored. A server told that it runs
/// alone may keep its secret and its files to itself.
fn shares_what_instances_share(config: &Config, ctx: &Ctx) -> StartResult<()> {
    if ctx.db.backend != leadsy::db::Backend::Postgres || config.runs_alone {
        return Ok(());
    }
    if config.jwt_secret.is_none() {
        return Err(
            "on PostgreSQL every instance must sign tokens with one JWT_SECRET (each would \
            make its own and refuse the others' tokens): set it, or set LEADSY_RUNS_ALONE=1 if \
            this is the only server"
                .into(),
        );
    }
    if !ctx.storage.is_shared() {
        return Err(
            "on PostgreSQL every instance must keep files where the others read them \
            (an upload on one disk is lost to the rest): set S3_BUCKET, or set \
            LEADSY_RUNS_ALONE=1 if this is the only server"
                .into(),
        );
    }
    Ok(())
}

/// Like `state`, on a database the caller connected (tests, benchmarks).
pub async fn state_with_db(
    config: Config,
    mut leptos_options: LeptosOptions,
    db: Db,
) -> StartResult<AppState> {
    let ctx = services(&config, db)?.through(Door::Api);
    let assets = Arc::new(assets::Assets::load(std::path::Path::new(
        &*leptos_options.site_root,
    )));
    leptos_options.output_name = assets.output_name().into();
    let jwt = JwtKeys::load(
        config.jwt_secret.as_deref(),
        &config.data_dir,
        config.jwt_ttl_secs,
    )?;
    Ok(AppState {
        ctx,
        jwt: Arc::new(jwt),
        config: Arc::new(config),
        leptos_options,
        assets,
    })
}
