//! The webhook settings' doors (admins): endpoints, their log, replays. A new
//! secret reaches the page once, through a flash cookie the next render reads and
//! clears, so that it shows after a plain form post too and never again.

use crate::error::AppResult;
use leadsy::paging::Meta;
use leadsy::webhooks::{Attempt, Delivery, Webhook};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The cookie holding a secret just made, for one render of the settings page.
#[cfg(feature = "ssr")]
const FLASH: &str = "leadsy_webhook_secret";

/// A secret made a moment ago, shown now and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshSecret {
    pub webhook_id: i64,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointsPage {
    pub webhooks: Vec<Webhook>,
    pub fresh: Option<FreshSecret>,
}

/// One endpoint's deliveries, newest first, each with its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLog {
    pub webhook: Webhook,
    pub deliveries: Vec<(Delivery, Vec<Attempt>)>,
    pub meta: Meta,
}

/// Hands `secret` to the next render of the settings page.
#[cfg(feature = "ssr")]
fn flash(ctx: &leadsy::Ctx, webhook_id: i64, secret: &str) {
    let secure = if ctx.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{FLASH}={webhook_id}:{secret}; Path=/settings/webhooks; Max-Age=300; HttpOnly; SameSite=Strict{secure}"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// The secret the last change left for this render, cleared as it is read.
#[cfg(feature = "ssr")]
fn take_flash() -> Option<FreshSecret> {
    let req = use_context::<http::request::Parts>()?;
    let value = req
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(FLASH)?
                .strip_prefix('=')
                .map(str::to_string)
        })?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(
            http::header::SET_COOKIE,
            http::HeaderValue::from_static("leadsy_webhook_secret=; Path=/settings/webhooks; Max-Age=0; HttpOnly; SameSite=Strict"),
        );
    }
    let (id, secret) = value.split_once(':')?;
    Some(FreshSecret {
        webhook_id: id.parse().ok()?,
        secret: secret.to_string(),
    })
}

#[server]
pub async fn webhooks_page(company_id: i64) -> AppResult<EndpointsPage> {
    use crate::session;
    use leadsy::paging::Page;
    let (me, ctx) = session::member(company_id).await?;
    let (webhooks, _) = leadsy::webhooks::list(&ctx, &me, Page::first_full()).await?;
    let fresh = take_flash().filter(|f| webhooks.iter().any(|w| w.id == f.webhook_id));
    Ok(EndpointsPage { webhooks, fresh })
}

/// Adds an endpoint from the settings form: the ticked event types arrive as
/// `events[i]`.
#[server]
pub async fn add_webhook(
    company_id: i64,
    url: String,
    #[server(default)] description: String,
    #[server(default)] events: Vec<String>,
) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let events = events
        .iter()
        .filter_map(|k| leadsy::events::Kind::from_key(k))
        .collect();
    let input = leadsy::webhooks::CreateWebhook {
        url,
        events,
        description,
    };
    let made = leadsy::webhooks::create(&ctx, &me, input).await?;
    flash(&ctx, made.webhook.id, &made.secret);
    session::back_after_form_post("/settings/webhooks");
    Ok(())
}

#[server]
pub async fn switch_webhook(company_id: i64, webhook_id: i64, enabled: bool) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let patch = leadsy::webhooks::UpdateWebhook {
        enabled: Some(enabled),
        ..Default::default()
    };
    leadsy::webhooks::update(&ctx, &me, webhook_id, patch).await?;
    session::back_after_form_post("/settings/webhooks");
    Ok(())
}

#[server]
pub async fn rotate_webhook_secret(company_id: i64, webhook_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let rotated = leadsy::webhooks::rotate_secret(&ctx, &me, webhook_id).await?;
    flash(&ctx, webhook_id, &rotated.secret);
    session::back_after_form_post("/settings/webhooks");
    Ok(())
}

#[server]
pub async fn delete_webhook(company_id: i64, webhook_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::webhooks::delete(&ctx, &me, webhook_id).await?;
    session::back_after_form_post("/settings/webhooks");
    Ok(())
}

#[server]
pub async fn webhook_log(company_id: i64, webhook_id: i64, page: i64) -> AppResult<DeliveryLog> {
    use crate::session;
    use leadsy::paging::Page;
    let (me, ctx) = session::member(company_id).await?;
    let webhook = leadsy::webhooks::get(&ctx, &me, webhook_id).await?;
    let page = Page::numbered(page, 25);
    let (list, meta) = leadsy::webhooks::deliveries(&ctx, &me, webhook_id, page).await?;
    let mut deliveries = Vec::with_capacity(list.len());
    for d in list {
        deliveries.push(leadsy::webhooks::attempts(&ctx, &me, webhook_id, d.id).await?);
    }
    Ok(DeliveryLog {
        webhook,
        deliveries,
        meta,
    })
}

#[server]
pub async fn replay_delivery(company_id: i64, webhook_id: i64, delivery_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::webhooks::replay(&ctx, &me, webhook_id, delivery_id).await?;
    session::back_after_form_post(&format!("/settings/webhooks/{webhook_id}"));
    Ok(())
}

#[server]
pub async fn replay_failed_deliveries(company_id: i64, webhook_id: i64) -> AppResult<()> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    leadsy::webhooks::replay_failed(&ctx, &me, webhook_id).await?;
    session::back_after_form_post(&format!("/settings/webhooks/{webhook_id}"));
    Ok(())
}
