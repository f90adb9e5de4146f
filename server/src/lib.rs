//! Sheguan's server as a library: `Application::build` binds and wires everything; `main.rs` only
//! parses the configuration. Tests build the same application on port 0.

pub mod auth;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod routes;
pub mod seed;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
use state::{AppState, RateLimiter, RegistryPolicy, Settings};
use store::Store;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    store: Store,
    state: AppState,
}

impl Application {
    /// Connects to the database, migrates it, loads reference (and, if asked, demo) data and binds.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let keys = crypto::DataKeys::from_config(
            config.keys.data_key.as_deref(),
            config.keys.data_keys_retired.as_deref(),
            config.keys.match_key.as_deref(),
            config.demo,
        )?;
        std::fs::create_dir_all(&config.evidence_dir)?;
        let store = Store::connect(&config.database_url)
            .await?
            .with_keys(keys.clone());
        store.migrate().await?;
        seed::load_reference_data(&store).await?;
        if config.demo {
            // Demo mode writes accounts with a published password and a million records: never into a
            // database that holds real ones.
            if let Some(refusal) = store.demo_guard().await?.refusal() {
                anyhow::bail!(refusal);
            }
            seed::load_demo_data(&store).await?;
            seed::demo::load_contributions(&store, &keys, config.demo_ledger_entries).await?;
            seed::annual::load(&store, config.demo_ledger_entries).await?;
            seed::party::load(&store, config.demo_ledger_entries).await?;
            seed::fees::load(&store, config.demo_ledger_entries).await?;
            seed::enforcement::load(&store, &keys).await?;
            // Last: every demo decision (licensing, penalties) exists by now and gets its publication.
            seed::publication::load(&store).await?;
            // After every generator that records decided matters: it tops the provincial authority's up.
            seed::registry_history::load(&store).await?;
        }
        seed::publication::backfill(&store).await?;
        // Phones written in clear (organizations' before migration 0025, accounts' and matters' before
        // 0028, or any by a tool without keys) are sealed now; nothing is left to do on later starts.
        let system = store::Actor {
            user_id: None,
            name: "system".to_owned(),
            role: None,
            client_addr: "startup".to_owned(),
        };
        let sealed = store.seal_phones(&keys, &system, false).await?;
        if sealed > 0 {
            tracing::info!(sealed, "organizations' contact phones sealed");
        }
        let sealed = store
            .seal_phones_in(&store::phones::ACCOUNT_PHONES, &keys, &system, false)
            .await?;
        if sealed > 0 {
            tracing::info!(sealed, "accounts' phone numbers sealed");
        }
        let sealed = store.seal_matter_phones(&keys, &system, false).await?;
        if sealed > 0 {
            tracing::info!(sealed, "registration matters' contact phones sealed");
        }
        let settings = Arc::new(Settings {
            demo: config.demo,
            secure_cookies: config.secure_cookies,
            require_staff_second_factor: config.require_staff_second_factor,
            keys,
            evidence_dir: config.evidence_dir.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            metrics_token: config.metrics_token.clone(),
            publication: crate::routes::publication::Platform::new(
                config.publication_endpoint.as_deref(),
                std::time::Duration::from_secs(config.publication_timeout_seconds.max(1)),
            )?,
        });
        let state = AppState {
            store: store.clone(),
            settings,
            registry: Arc::new(RegistryPolicy::default()),
            // 30 lookups at once, then one every two seconds, per client address.
            public_limiter: Arc::new(RateLimiter::new(30, 0.5)),
            jobs: Arc::new(jobs::Jobs::new(config.jobs.settings())),
        };
        metrics::install();
        let router = app(state.clone(), &config);
        let listener = TcpListener::bind(&config.addr).await?;
        tracing::info!(
            addr = %listener.local_addr()?,
            backend = store.backend_name(),
            "社管 Sheguan is listening"
        );
        Ok(Self {
            listener,
            router,
            store,
            state,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Serves — and runs this server's share of the background jobs — until SIGTERM or Ctrl-C, then lets
    /// requests in flight finish and closes the pool. Jobs in hand are dropped; their leases lapse and
    /// the next server to look claims them again.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let serve = axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal());
        tokio::select! {
            served = serve => served?,
            () = jobs::run(self.state.clone()) => {}
        }
        self.store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The whole HTTP application: API, static app, and the layers every request passes.
fn app(state: AppState, config: &Config) -> Router {
    let router = web::with_static_app(routes::router(state.clone()), state, &config.static_dir);
    let [csp, nosniff, referrer, frame, coop] = web::security_headers();
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(axum::middleware::from_fn(metrics::track))
            .layer(axum::middleware::from_fn(auth::csrf::same_origin_only))
            .layer(TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(60),
            ))
            .layer(csp)
            // Answers that say nothing of caching are not cached: most carry personal data.
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ))
            .option_layer(config.secure_cookies.then(|| {
                SetResponseHeaderLayer::if_not_present(
                    header::STRICT_TRANSPORT_SECURITY,
                    HeaderValue::from_static("max-age=31536000; includeSubDomains"),
                )
            }))
            .layer(nosniff)
            .layer(referrer)
            .layer(frame)
            .layer(coop),
    )
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
