//! A lead's card: who, from where, whose and how old. It is one Tab stop: the
//! arrow keys go to the next card, Shift with ← or → moves it a stage, Enter opens
//! it; a drag or its stage menu move it too. Until the board has hydrated the menu
//! is a plain form with its own Move button, so a pick is never lost.

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
    let label = name.clone();
    let hydrated = moves.hydrated;
    // Inside a card only the card itself takes Tab once the keys work.
    let inner_tab = move || hydrated.get().then_some("-1");
    let others: Vec<(i64, String)> = stages.into_iter().filter(|(s, _)| *s != stage_id).collect();
    view! {
        <li
            id=format!("card-{id}")
            data-testid="card"
            data-lead-id=id
            tabindex="0"
            draggable=move || hydrated.get().then_some("true")
            aria-label=label
            aria-describedby="board-keys"
            class="cursor-grab rounded-lg border border-slate-200 bg-white p-2.5 shadow-sm outline-none focus:ring-2 focus:ring-indigo-500 active:cursor-grabbing"
            on:dragstart=move |ev| {
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &id.to_string());
                    dt.set_effect_allowed("move");
                }
                moves.dragging.set(Some(id));
            }
            on:dragend=move |_| moves.dragging.set(None)
            on:keydown=move |ev| {
                if !for_the_card(&ev) {
                    return;
                }
                let (across, down) = match ev.key().as_str() {
                    "ArrowRight" => (1, 0),
                    "ArrowLeft" => (-1, 0),
                    "ArrowDown" => (0, 1),
                    "ArrowUp" => (0, -1),
                    "Enter" => {
                        ev.prevent_default();
                        let _ = window().location().assign(&format!("/leads/{id}"));
                        return;
                    }
                    _ => return,
                };
                ev.prevent_default();
                if ev.shift_key() && across != 0 {
                    if let Some(to) = moves.neighbour(stage_id, across) {
                        moves.move_lead(id, to);
                        focus_card(id);
                    }
                } else if let Some(next) = moves.card_towards(id, across, down) {
                    focus_card(next);
                }
            }
        >
            <div class="flex items-start justify-between gap-2">
                <a href=format!("/leads/{id}") tabindex=inner_tab class="min-w-0 break-words font-medium text-slate-900 hover:text-indigo-800 underline" draggable="false">{name}</a>
                <span class="shrink-0 text-xs text-slate-600" title=lead.created_at.day()>{age(lead.created_at, now)}</span>
            </div>
            {(!lead.company_name.is_empty()).then(|| view! { <p class="truncate text-sm text-slate-700">{lead.company_name.clone()}</p> })}
            <div class="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs">
                {lead.source_name.clone().map(|s| view! { <span class="rounded bg-sky-50 px-1.5 py-0.5 text-sky-800">{s}</span> })}
                {(lead.value_cents > 0).then(|| view! { <span class="rounded bg-emerald-50 px-1.5 py-0.5 text-emerald-800">{format_amount(lead.value_cents)}</span> })}
                <span class="text-slate-600">{lead.assignee_name.clone().unwrap_or_else(|| "Unassigned".into())}</span>
            </div>
            <form method="post" action=MoveLead::PATH class="mt-1.5 flex items-center gap-1">
                <input type="hidden" name="company_id" value=lead.company_id/>
                <input type="hidden" name="lead_id" value=id/>
                <input type="hidden" name="version" value=lead.version/>
                <select
                    name="stage_id"
                    aria-label=format!("Move {} to stage", lead.full_name())
                    data-testid="move-select"
                    tabindex=inner_tab
                    class="min-w-0 flex-1 rounded border border-slate-200 bg-slate-50 px-1 py-0.5 text-xs text-slate-800"
                    on:change=move |ev| {
                        if let Ok(to) = event_target_value(&ev).parse() {
                            moves.move_lead(id, to);
                        }
                    }
                >
                    <option value="" selected>"Move to…"</option>
                    {others.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
                <button type="submit" class=move || if hydrated.get() { "hidden" } else { "rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-800" } data-testid="move-submit">"Move"</button>
            </form>
        </li>
    }
}

/// A key pressed on the card itself, without the browser's own chords (Alt+← is
/// Back) or a key meant for the link or menu inside it.
fn for_the_card(ev: &web_sys::KeyboardEvent) -> bool {
    let modified = ev.alt_key() || ev.ctrl_key() || ev.meta_key();
    ev.target() == ev.current_target() && !modified
}

/// Puts keyboard focus on a card, once it has been drawn where it now is.
fn focus_card(id: i64) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&format!("card-{id}")) {
            if let Ok(el) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}
