//! A lead's story on its page: its creation, each change with its fields' before
//! and after, its notes and appointments, each with who and when. Ids in a change
//! read as the names the company uses.

use crate::components::answers::plain;
use crate::components::zone::when;
use crate::rpc::board::Choices;
use leadsy::events::{ActorKind, Change, Door, Event, Kind};
use leadsy::leads::format_amount;
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn History(events: Vec<Event>, total: i64, catalog: Choices) -> impl IntoView {
    let shown = events.len() as i64;
    let catalog = StoredValue::new(catalog);
    view! {
        <section class="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="history">
            <h2 class="text-lg font-semibold">"History"</h2>
            <ol class="space-y-3 border-l border-slate-200 pl-4">
                {events.into_iter().map(|e| {
                    let changes = catalog.with_value(|c| lines(&e, c));
                    view! {
                        <li class="relative" data-testid="history-entry" data-kind=e.kind.key()>
                            <span class="absolute -left-[21px] top-1.5 h-2.5 w-2.5 rounded-full bg-indigo-500" aria-hidden="true"></span>
                            <p class="text-sm text-slate-900"><span class="font-medium">{headline(&e)}</span></p>
                            <ul class="text-sm text-slate-700">
                                {changes.into_iter().map(|l| view! { <li class="break-words">{l}</li> }).collect_view()}
                            </ul>
                            <p class="text-xs text-slate-600">{format!("{} · {}", who(&e), when(e.created_at))}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(total > shown).then(|| view! {
                <p class="text-sm text-slate-700">{format!("The {shown} latest of {total} events.")}</p>
            })}
        </section>
    }
}

fn headline(e: &Event) -> String {
    match e.kind {
        Kind::LeadCreated => "Lead created".into(),
        Kind::LeadStageChanged => "Stage changed".into(),
        Kind::LeadAssigned => "Assigned".into(),
        Kind::LeadUpdated => "Details changed".into(),
        Kind::NoteCreated => "Note added".into(),
        Kind::NoteDeleted => "Note deleted".into(),
        Kind::AppointmentBooked => match e.data.get("starts_at").and_then(Value::as_str) {
            Some(at) => match leadsy::time::Timestamp::parse(at) {
                Ok(t) => format!("Appointment booked for {}", when(t)),
                Err(_) => "Appointment booked".into(),
            },
            None => "Appointment booked".into(),
        },
        // Not about one lead: never in its history.
        other => other.key().into(),
    }
}

/// Who did it and through which door, in a few words.
fn who(e: &Event) -> String {
    let name = e.by_name.clone();
    let door = match e.by.door {
        Door::Page => "",
        Door::Api => " through the API",
        Door::Import => "",
        Door::Cli => " from the command line",
    };
    match e.by.kind {
        ActorKind::User => format!("{}{door}", name.unwrap_or_else(|| "A former member".into())),
        ActorKind::ApiKey => format!("{}'s API key", name.unwrap_or_else(|| "An admin".into())),
        ActorKind::Platform => "A platform integration".into(),
        ActorKind::Import => match (name, e.by.ref_id) {
            (Some(n), Some(id)) => format!("Import #{id} by {n}"),
            (_, Some(id)) => format!("Import #{id}"),
            _ => "An import".into(),
        },
        ActorKind::Operator => "Leadsy's operator".into(),
    }
}

/// One line per changed field, "Stage: New → Proposal"; a note's text.
fn lines(e: &Event, catalog: &Choices) -> Vec<String> {
    if e.kind == Kind::NoteCreated || e.kind == Kind::NoteDeleted {
        let body = e
            .data
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let short: String = body.chars().take(200).collect();
        return vec![if short.len() < body.len() {
            format!("{short}…")
        } else {
            short
        }];
    }
    e.changes
        .iter()
        .flat_map(|(field, change)| describe(field, change, catalog))
        .collect()
}

fn describe(field: &str, change: &Change, catalog: &Choices) -> Vec<String> {
    if field == "answers" {
        return answers(change, catalog);
    }
    let label = match field {
        "first_name" => "First name",
        "last_name" => "Last name",
        "company_name" => "Company",
        "email" => "Email",
        "phone" => "Phone",
        "postal_code" => "Postal code",
        "value_cents" => "Value",
        "stage_id" => "Stage",
        "source_id" => "Source",
        "campaign_id" => "Campaign",
        "assigned_user_access_id" => "Assigned to",
        other => other,
    };
    let show = |v: &Value| name_of(field, v, catalog);
    vec![format!(
        "{label}: {} → {}",
        show(&change.before),
        show(&change.after)
    )]
}

/// Each question whose answer changed, by its text.
fn answers(change: &Change, catalog: &Choices) -> Vec<String> {
    let empty = serde_json::Map::new();
    let before = change.before.as_object().unwrap_or(&empty);
    let after = change.after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| {
            let text = catalog
                .questions
                .iter()
                .find(|q| q.id.to_string() == **k)
                .map(|q| q.text.clone())
                .unwrap_or_else(|| "A removed question".into());
            let show = |v: Option<&Value>| {
                v.map(plain)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "—".into())
            };
            format!("{text}: {} → {}", show(before.get(k)), show(after.get(k)))
        })
        .collect()
}

fn name_of(field: &str, v: &Value, catalog: &Choices) -> String {
    let id = v.as_i64();
    let named = match field {
        "stage_id" => id.and_then(|id| {
            catalog
                .stages
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
        }),
        "source_id" => id.and_then(|id| {
            catalog
                .sources
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
        }),
        "campaign_id" => id.and_then(|id| {
            catalog
                .campaigns
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
        }),
        "assigned_user_access_id" => match id {
            None => Some("Unassigned".into()),
            Some(id) => catalog
                .members
                .iter()
                .find(|m| m.user_access_id == id)
                .map(|m| {
                    format!("{} {}", m.user.first_name, m.user.last_name)
                        .trim()
                        .to_string()
                }),
        },
        "value_cents" => id.map(format_amount),
        _ => None,
    };
    named.unwrap_or_else(|| match v {
        Value::Null => "—".into(),
        Value::Number(_) if field.ends_with("_id") => "(since removed)".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        other => plain(other),
    })
}
