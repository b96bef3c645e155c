//! Webhooks (admins): the endpoints that hear the company's events, a new one's
//! secret shown once, turning one off or on, rotating its secret, and each
//! endpoint's log of deliveries and attempts with replays.

use super::{load_failed, settings_page, AdminsOnly, Confirm, Pager, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::components::zone::when;
use crate::rpc::webhooks::{
    webhook_log, webhooks_page, AddWebhook, DeleteWebhook, DeliveryLog, EndpointsPage,
    ReplayDelivery, ReplayFailedDeliveries, RotateWebhookSecret, SwitchWebhook,
};
use leadsy::events::Kind;
use leadsy::webhooks::Webhook;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Only admins see webhooks: their URLs and logs carry the company's data.
const REFUSAL: &str = "Only admins can see and change webhooks.";

#[component]
pub fn WebhooksSettings() -> impl IntoView {
    settings_page("webhooks", |company_id| {
        view! { <AdminsOnly company_id title="Webhooks" refusal=REFUSAL><Endpoints company_id/></AdminsOnly> }.into_any()
    })
}

#[component]
pub fn WebhookLogSettings() -> impl IntoView {
    settings_page("webhooks", |company_id| {
        view! { <AdminsOnly company_id title="Webhooks" refusal=REFUSAL><Log company_id/></AdminsOnly> }.into_any()
    })
}

#[component]
fn Endpoints(company_id: i64) -> impl IntoView {
    let add = ServerAction::<AddWebhook>::new();
    let data = Resource::new(
        move || add.version().get(),
        move |_| webhooks_page(company_id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => load_failed(e),
                    Ok(page) => view! { <EndpointList company_id page add/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EndpointList(
    company_id: i64,
    page: EndpointsPage,
    add: ServerAction<AddWebhook>,
) -> impl IntoView {
    let outcome: Outcome = add.value().into();
    let field = move |name: &'static str| move || error_of(outcome)().and_then(|e| e.field(name));
    let fresh = page.fresh.clone();
    view! {
        {fresh.map(|f| view! {
            <section class="rounded-xl border border-amber-300 bg-amber-50 p-4" role="status" data-testid="webhook-secret">
                <p class="text-sm font-medium text-amber-900">"The endpoint's signing secret, shown this once: copy it into the receiving tool now."</p>
                <code class="mt-2 block break-all rounded bg-white px-2 py-1 text-sm text-slate-900">{f.secret}</code>
                <p class="mt-1 text-xs text-amber-900">"Verify each delivery's webhook-signature with it (Standard Webhooks). Lost it? Rotate the secret."</p>
            </section>
        })}
        <Panel title="Webhooks" note="Send the company's events to your other tools as they happen, signed, retried for three days.">
            <ul class="divide-y divide-slate-100" data-testid="webhooks">
                {page.webhooks.is_empty().then(|| view! { <li class="py-2 text-sm text-slate-700">"No endpoints yet."</li> })}
                {page.webhooks.into_iter().map(|w| view! { <Endpoint company_id w/> }).collect_view()}
            </ul>
        </Panel>
        <Panel title="Add an endpoint">
            <FormError outcome fields=&["url", "events", "description"]/>
            <ActionForm action=add attr:class="space-y-3">
                <input type="hidden" name="company_id" value=company_id/>
                <label class="block text-sm">
                    <span class="text-slate-800">"URL"</span>
                    <input name="url" type="url" required placeholder="https://example.com/leadsy" value=typed(outcome, "url") class=INPUT/>
                    {move || field("url")().map(|m| view! { <span class="text-red-700" role="alert">{format!("URL {m}")}</span> })}
                </label>
                <label class="block text-sm">
                    <span class="text-slate-800">"Description"</span>
                    <input name="description" value=typed(outcome, "description") class=INPUT/>
                </label>
                <fieldset>
                    <legend class="text-sm text-slate-800">"Events"</legend>
                    <div class="mt-1 grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
                        {Kind::ALL.iter().enumerate().map(|(i, k)| view! {
                            <label class="inline-flex items-center gap-2 text-sm text-slate-800">
                                <input type="checkbox" name=format!("events[{i}]") value=k.key() class="h-4 w-4"/>
                                <code>{k.key()}</code>
                            </label>
                        }).collect_view()}
                    </div>
                    <p class="mt-1 text-xs text-slate-600">"lead.updated includes stage changes and assignments."</p>
                    {move || field("events")().map(|m| view! { <span class="text-sm text-red-700" role="alert">{format!("Events {m}")}</span> })}
                </fieldset>
                <button type="submit" class=BUTTON>"Add endpoint"</button>
            </ActionForm>
        </Panel>
    }
}

#[component]
fn Endpoint(company_id: i64, w: Webhook) -> impl IntoView {
    let id = w.id;
    let events = w
        .events
        .iter()
        .map(|k| k.key())
        .collect::<Vec<_>>()
        .join(", ");
    let state = match (&w.enabled, &w.disabled_reason, &w.failing_since) {
        (false, Some(why), _) => format!("Turned off: {why}."),
        (false, None, _) => "Off.".to_string(),
        (true, _, Some(since)) => format!("Failing since {}.", when(*since)),
        (true, _, None) => "On.".to_string(),
    };
    let (switch_to, switch_label) = if w.enabled {
        (false, "Turn off")
    } else {
        (true, "Turn on")
    };
    view! {
        <li class="space-y-1 py-3" data-testid="webhook">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <a href=format!("/settings/webhooks/{id}") class="break-all font-medium text-indigo-800 underline">{w.url.clone()}</a>
                <span class=if w.enabled && w.failing_since.is_none() { "text-sm text-emerald-800" } else { "text-sm text-red-700" } data-testid="webhook-state">{state}</span>
            </div>
            {(!w.description.is_empty()).then(|| view! { <p class="text-sm text-slate-700">{w.description.clone()}</p> })}
            <p class="text-xs text-slate-600">{events}</p>
            <div class="flex flex-wrap items-center gap-3">
                <form method="post" action=SwitchWebhook::PATH>
                    <input type="hidden" name="company_id" value=company_id/>
                    <input type="hidden" name="webhook_id" value=id/>
                    <input type="hidden" name="enabled" value=switch_to.to_string()/>
                    <button type="submit" class="text-sm text-indigo-800 underline">{switch_label}</button>
                </form>
                <Confirm action=RotateWebhookSecret::PATH label="Rotate secret" question="Make a new secret? The old one keeps signing beside it for 24 hours.".to_string()>
                    <input type="hidden" name="company_id" value=company_id/>
                    <input type="hidden" name="webhook_id" value=id/>
                </Confirm>
                <Confirm action=DeleteWebhook::PATH label="Delete" question="Delete this endpoint and its log? Nothing more is sent to it.".to_string()>
                    <input type="hidden" name="company_id" value=company_id/>
                    <input type="hidden" name="webhook_id" value=id/>
                </Confirm>
            </div>
        </li>
    }
}

#[component]
fn Log(company_id: i64) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        let page = query
            .read()
            .get("page")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(1);
        (id, page)
    };
    let data = Resource::new(key, move |(id, page)| webhook_log(company_id, id, page));
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! {
                        {load_failed(e)}
                        <a href="/settings/webhooks" class="text-sm text-indigo-800 underline">"All endpoints"</a>
                    }.into_any(),
                    Ok(log) => view! { <Deliveries company_id log/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Deliveries(company_id: i64, log: DeliveryLog) -> impl IntoView {
    let id = log.webhook.id;
    let meta = log.meta;
    view! {
        <a href="/settings/webhooks" class="text-sm text-indigo-800 underline">"← All endpoints"</a>
        <Panel title="Deliveries" note="Newest first. Each event is sent until the endpoint answers 2xx, with the same webhook-id every time.">
            <p class="break-all text-sm font-medium text-slate-900">{log.webhook.url.clone()}</p>
            <form method="post" action=ReplayFailedDeliveries::PATH>
                <input type="hidden" name="company_id" value=company_id/>
                <input type="hidden" name="webhook_id" value=id/>
                <button type="submit" class=BUTTON>"Replay every failed delivery"</button>
            </form>
            <ul class="divide-y divide-slate-100" data-testid="deliveries">
                {log.deliveries.is_empty().then(|| view! { <li class="py-2 text-sm text-slate-700">"Nothing sent yet."</li> })}
                {log.deliveries.into_iter().map(|(d, attempts)| view! {
                    <li class="py-2 text-sm" data-testid="delivery" data-status=d.status.clone()>
                        <details>
                            <summary class="flex cursor-pointer flex-wrap items-baseline justify-between gap-2">
                                <span><code>{d.kind.key()}</code>" · "{d.message_id.clone()}</span>
                                <span class=if d.status == "failed" { "text-red-700" } else { "text-slate-700" }>
                                    {format!("{} · {} attempt{}", d.status, d.attempts, if d.attempts == 1 { "" } else { "s" })}
                                    {d.next_attempt_at.map(|t| format!(" · next {}", when(t)))}
                                </span>
                            </summary>
                            <ol class="mt-2 space-y-1 pl-4 text-xs text-slate-700">
                                {attempts.into_iter().map(|a| view! {
                                    <li data-testid="attempt">
                                        {format!("{} · {} · {} ms", when(a.attempted_at), a.status_code.map(|s| s.to_string()).or(a.error.clone()).unwrap_or_default(), a.latency_ms)}
                                        {a.response_excerpt.filter(|e| !e.is_empty()).map(|e| view! { <pre class="mt-0.5 max-h-24 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-1">{e}</pre> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                            <form method="post" action=ReplayDelivery::PATH class="mt-2">
                                <input type="hidden" name="company_id" value=company_id/>
                                <input type="hidden" name="webhook_id" value=id/>
                                <input type="hidden" name="delivery_id" value=d.id/>
                                <button type="submit" class="text-sm text-indigo-800 underline">"Replay"</button>
                            </form>
                        </details>
                    </li>
                }).collect_view()}
            </ul>
            <Pager meta at=move |n| format!("/settings/webhooks/{id}?page={n}")/>
        </Panel>
    }
}
