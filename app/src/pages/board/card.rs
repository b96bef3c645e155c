//! A lead's card: who, from where, whose and how old, with three ways to move it
//! (drag, arrow keys, the stage menu).

use super::columns::Moves;
use crate::rpc::board::MoveLead;
use leadsy::leads::{format_amount, Lead};
use leadsy::time::Timestamp;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// "just now", "5h", "3d", "7w".
pub fn age(created: Timestamp, now: Timestamp) -> String {
    let secs = (now.0 - created.0).max(0);
    match secs {
        s if s < 3600 => "just now".into(),
        s if s < 86_400 => format!("{}h", s / 3600),
        s if s < 14 * 86_400 => format!("{}d", s / 86_400),
        s => format!("{}w", s / (7 * 86_400)),
    }
}

#[component]
pub fn Card(lead: Lead, moves: Moves, now: Timestamp, stages: Vec<(i64, String)>) -> impl IntoView {
    let id = lead.id;
    let stage_id = lead.stage_id;
    let name = lead.full_name();
    let label = format!("{name}, press left or right arrow to move");
    view! {
        <li
            id=format!("card-{id}")
            data-testid="card"
            data-lead-id=id
            tabindex="0"
            draggable="true"
            aria-label=label
            class="cursor-grab rounded-lg border border-slate-200 bg-white p-3 shadow-sm outline-none focus:ring-2 focus:ring-indigo-400 active:cursor-grabbing"
            on:dragstart=move |ev| {
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &id.to_string());
                    dt.set_effect_allowed("move");
                }
                moves.dragging.set(Some(id));
            }
            on:dragend=move |_| moves.dragging.set(None)
            on:keydown=move |ev| {
                let step = match ev.key().as_str() {
                    "ArrowRight" => 1,
                    "ArrowLeft" => -1,
                    _ => return,
                };
                ev.prevent_default();
                if let Some(to) = moves.neighbour(stage_id, step) {
                    moves.move_lead(id, to);
                    refocus(id);
                }
            }
        >
            <div class="flex items-start justify-between gap-2">
                <a href=format!("/leads/{id}") class="font-medium text-slate-900 hover:text-indigo-700 hover:underline" draggable="false">{name}</a>
                <span class="shrink-0 text-xs text-slate-500" title=lead.created_at.day()>{age(lead.created_at, now)}</span>
            </div>
            {(!lead.company_name.is_empty()).then(|| view! { <p class="text-sm text-slate-600">{lead.company_name.clone()}</p> })}
            <div class="mt-2 flex flex-wrap items-center gap-1.5 text-xs">
                {lead.source_name.clone().map(|s| view! { <span class="rounded bg-sky-50 px-1.5 py-0.5 text-sky-700">{s}</span> })}
                {(lead.value_cents > 0).then(|| view! { <span class="rounded bg-emerald-50 px-1.5 py-0.5 text-emerald-700">{format_amount(lead.value_cents)}</span> })}
                <span class="text-slate-500">{lead.assignee_name.clone().unwrap_or_else(|| "Unassigned".into())}</span>
            </div>
            <form method="post" action=MoveLead::PATH class="mt-2 flex items-center gap-1">
                <input type="hidden" name="company_id" value=lead.company_id/>
                <input type="hidden" name="lead_id" value=id/>
                <select
                    name="stage_id"
                    aria-label="Move to stage"
                    data-testid="move-select"
                    class="w-full rounded border border-slate-200 bg-slate-50 px-1 py-0.5 text-xs text-slate-700"
                    on:change=move |ev| {
                        if let Ok(to) = event_target_value(&ev).parse() {
                            moves.move_lead(id, to);
                        }
                    }
                >
                    {stages.into_iter().map(|(id, name)| view! {
                        <option value=id selected=id == stage_id>{name}</option>
                    }).collect_view()}
                </select>
                <noscript>
                    <button type="submit" class="rounded border border-slate-300 px-2 py-0.5 text-xs">"Move"</button>
                </noscript>
            </form>
        </li>
    }
}

/// Keeps keyboard focus on the card after it re-renders in its new column.
fn refocus(id: i64) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&format!("card-{id}")) {
            if let Ok(el) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}
