//! The audit log (admins): every change in the company, who made it, through
//! which door and when, narrowed by who, what, which lead and which days, a page
//! at a time, and the same as a CSV file.

use super::{load_failed, settings_page, AdminsOnly, Pager, Panel, BUTTON, INPUT};
use crate::components::zone::when;
use crate::rpc::events::{audit_log, AuditPage, AuditQuery};
use leadsy::events::{ActorKind, Event, Kind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditSettings() -> impl IntoView {
    settings_page("audit", |company_id| {
        view! { <Audit company_id/> }.into_any()
    })
}

#[component]
fn Audit(company_id: i64) -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        let get = |k: &str| p.get(k).unwrap_or_default();
        AuditQuery {
            actor: get("actor_user_id"),
            kind: get("kind"),
            lead: get("lead_id"),
            from: get("from"),
            to: get("to"),
            page: get("page").parse().unwrap_or(1),
        }
    };
    let data = Resource::new(query, move |q| audit_log(company_id, q));
    view! {
        <AdminsOnly company_id title="Audit log" refusal="Only admins can see the audit log.">
            <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => load_failed(e),
                        Ok(page) => view! { <Log company_id query=query() page/> }.into_any(),
                    }
                })}
            </Suspense>
        </AdminsOnly>
    }
}

#[component]
fn Log(company_id: i64, query: AuditQuery, page: AuditPage) -> impl IntoView {
    let filters = query.filters();
    let csv = format!("/api/v1/companies/{company_id}/events?format=csv&{filters}");
    let meta = page.meta;
    let at = move |n: i64| format!("/settings/audit?{filters}&page={n}");
    view! {
        <Panel title="Audit log" note="Every change in your company: who made it, how, and when.">
            <form method="get" action="/settings/audit" class="grid gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="audit-filters">
                <label class="text-sm">
                    <span class="text-slate-800">"Who"</span>
                    <select name="actor_user_id" class=INPUT>
                        <option value="">"Anyone"</option>
                        {page.members.iter().map(|m| {
                            let id = m.user.id.to_string();
                            let chosen = id == query.actor;
                            view! { <option value=id.clone() selected=chosen>{m.user.display_name()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="text-sm">
                    <span class="text-slate-800">"What"</span>
                    <select name="kind" class=INPUT>
                        <option value="">"Any change"</option>
                        {Kind::ALL.iter().map(|k| view! { <option value=k.key() selected=k.key() == query.kind>{k.key()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="text-sm">
                    <span class="text-slate-800">"Lead number"</span>
                    <input name="lead_id" inputmode="numeric" value=query.lead.clone() class=INPUT/>
                </label>
                <label class="text-sm">
                    <span class="text-slate-800">"From"</span>
                    <input type="date" name="from" value=query.from.clone() class=INPUT/>
                </label>
                <label class="text-sm">
                    <span class="text-slate-800">"To"</span>
                    <input type="date" name="to" value=query.to.clone() class=INPUT/>
                </label>
                <div class="flex items-end gap-2">
                    <button type="submit" class=BUTTON>"Filter"</button>
                    <a href=csv class="text-sm font-medium text-indigo-800 underline" data-testid="audit-csv">"Download CSV"</a>
                </div>
            </form>
            <p class="text-sm text-slate-700">{match page.meta.total {
                0 => "No changes match.".to_string(),
                1 => "1 change.".to_string(),
                n => format!("{n} changes, newest first."),
            }}</p>
            <ul class="divide-y divide-slate-100" data-testid="audit-events">
                {page.events.into_iter().map(|e| view! { <Entry e/> }).collect_view()}
            </ul>
            <Pager meta at/>
        </Panel>
    }
}

#[component]
fn Entry(e: Event) -> impl IntoView {
    let who = match e.by.kind {
        ActorKind::User => e
            .by_name
            .clone()
            .unwrap_or_else(|| "A former member".into()),
        ActorKind::ApiKey => format!(
            "{}'s API key",
            e.by_name.clone().unwrap_or_else(|| "An admin".into())
        ),
        ActorKind::Platform => "A platform integration".into(),
        ActorKind::Import => format!("Import #{}", e.by.ref_id.unwrap_or_default()),
        ActorKind::Operator => "Leadsy's operator".into(),
    };
    let fields: Vec<String> = e.changes.keys().cloned().collect();
    view! {
        <li class="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2 text-sm" data-testid="audit-event">
            <div class="min-w-0">
                <span class="font-medium text-slate-900">{e.kind.key()}</span>
                {e.lead_id.map(|id| view! { " " <a href=format!("/leads/{id}") class="text-indigo-800 underline">{format!("lead #{id}")}</a> })}
                {(!fields.is_empty()).then(|| view! { <span class="text-slate-700">{format!(" · {}", fields.join(", "))}</span> })}
            </div>
            <span class="text-xs text-slate-600">{format!("{who} · {} · {}", e.by.door.key(), when(e.created_at))}</span>
        </li>
    }
}
