//! Webhooks: a company's other tools hear its events. Admins add endpoints; each
//! event an endpoint subscribed to is queued for it in the transaction that records
//! the event, and a worker delivers it, signed as Standard Webhooks 1.0 asks, at
//! least once, retrying with backoff for more than three days.

use crate::events::Kind;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod deliveries;
#[cfg(feature = "server")]
mod fanout;
#[cfg(feature = "server")]
pub mod guard;
#[cfg(feature = "server")]
mod manage;
#[cfg(feature = "server")]
pub mod sign;
#[cfg(feature = "server")]
pub mod worker;

#[cfg(feature = "server")]
pub(crate) use fanout::enqueue;
#[cfg(feature = "server")]
pub use {
    deliveries::{attempts, deliveries, replay, replay_failed},
    manage::{create, delete, get, list, rotate_secret, update},
};

/// An endpoint as the API shows it; its secret only ever in the answer that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub company_id: i64,
    pub url: String,
    pub description: String,
    /// The event types it hears; `lead.updated` includes stage changes and
    /// assignments.
    pub events: Vec<Kind>,
    pub enabled: bool,
    /// Why Leadsy stopped delivering to it (410 Gone, or failing for 5 days).
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed.
    pub failing_since: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A new endpoint, or (with `secret`) a new secret: the only time it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_` and the base64 key that signs every delivery.
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// `https://` (or `http://`) and a host; at most 2,000 characters.
    pub url: String,
    /// At least one event type.
    pub events: Vec<Kind>,
    #[serde(default)]
    pub description: String,
}

/// What is left out stays; `enabled: true` turns a disabled endpoint back on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    pub url: Option<String>,
    pub events: Option<Vec<Kind>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

/// One event on its way to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub event_id: i64,
    /// The `webhook-id` every attempt carries.
    pub message_id: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    /// `pending`, `delivered` or `failed` (given up).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<Timestamp>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Attempt {
    pub id: i64,
    pub attempted_at: Timestamp,
    /// The endpoint's HTTP status; none when it could not be reached.
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: Option<String>,
    /// The start of what the endpoint answered.
    pub response_excerpt: Option<String>,
    /// The server instance that sent it.
    pub instance: Option<String>,
}

/// The kinds an endpoint subscribed to `kinds` hears: `lead.updated` takes in the
/// updates named for their most telling change.
pub fn heard(kinds: &[Kind]) -> Vec<Kind> {
    let mut all: Vec<Kind> = kinds
        .iter()
        .flat_map(|k| match k {
            Kind::LeadUpdated => vec![
                Kind::LeadUpdated,
                Kind::LeadStageChanged,
                Kind::LeadAssigned,
            ],
            other => vec![*other],
        })
        .collect();
    all.sort_by_key(|k| k.key());
    all.dedup();
    all
}

/// A delivery's `webhook-id`: the same on every attempt and every endpoint.
pub fn message_id(event_id: i64) -> String {
    format!("msg_{event_id}")
}
