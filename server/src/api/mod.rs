//! `/api/v1`: the REST contract. Handlers are thin doors to the domain; this module
//! assembles them with their OpenAPI description, CORS and body limits.

pub mod accesses;
pub mod appointments;
pub mod campaigns;
pub mod catalog;
pub mod companies;
pub mod cycles;
mod document;
pub mod error;
pub mod events;
pub mod extract;
pub mod global;
pub mod imports;
pub mod invitations;
pub mod jobs;
pub mod leads;
pub mod notes;
pub mod questions;
pub mod sources;
pub mod territories;
pub mod users;
pub mod views;
pub mod webhooks;

/// A whole list's body: the items under their plural name and the `meta` every list
/// carries, here one page holding all of them.
macro_rules! list_body {
    ($body:ident, $field:ident, $item:ty) => {
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $body {
            pub $field: Vec<$item>,
            pub meta: leadsy::paging::Meta,
        }

        impl From<Vec<$item>> for $body {
            fn from($field: Vec<$item>) -> Self {
                let meta = leadsy::paging::Meta::whole($field.len());
                $body { $field, meta }
            }
        }
    };
}
pub(crate) use list_body;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, Method};
use axum::routing::get;
use axum::{Json, Router};
use error::ApiError;
use std::sync::Arc;
use tower_http::cors::{Any, CorsLayer};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Leadsy API",
        version = "1",
        description = "Leads, companies and onboarding for integrators. Every error is \
            `{\"error\": {\"code\", \"message\", \"fields\"}}`; lists are paged with `page` and `per_page` \
            (25 by default, at most 100)."
    ),
    servers((url = "/api/v1")),
    modifiers(&SecuritySchemes),
    components(schemas(error::ErrorBody))
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "jwt",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A JWT from sign-up, login or a password change (`Bearer ` may be omitted); a password \
                         reset or change ends every JWT issued before it. A customer API key also goes here: \
                         it acts as its company's admin on `/companies/{company_id}/...` of that company only \
                         (403 `CUSTOMER_KEY_COMPANY_ONLY` on account routes), while that admin still is one.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "platform_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "token",
                "A platform API token made with `leadsy-server token create` (also accepted in Authorization).",
            ))),
        );
    }
}

/// The OpenAPI document of every `/api/v1` route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    split().1
}

fn split() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = routes().split_for_parts();
    document::add_shared_responses(&mut doc);
    (router, doc)
}

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(users::router())
        .merge(accesses::router())
        .merge(companies::router())
        .merge(catalog::router())
        .merge(global::router())
        .merge(leads::router())
        .merge(events::router())
        .merge(webhooks::router())
        .merge(notes::router())
        .merge(appointments::router())
        .merge(sources::router())
        .merge(views::router())
        .merge(jobs::router())
        .merge(territories::router())
        .merge(cycles::router())
        .merge(campaigns::router())
        .merge(invitations::router())
        .merge(questions::router())
        .merge(imports::router())
}

pub fn router(max_upload_bytes: usize) -> Router<AppState> {
    let (router, doc) = split();
    let doc = Arc::new(doc);
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            "token".parse().expect("header name"),
        ]);
    router
        .route(
            "/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .fallback(|| async { ApiError(leadsy::Error::not_found("route")) })
        // axum adds the route's `Allow` header to this answer.
        .method_not_allowed_fallback(|| async {
            error::envelope(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "this method is not allowed on this route",
                None,
            )
        })
        .layer(DefaultBodyLimit::max(max_upload_bytes + 1024 * 1024))
        .layer(cors)
}
