//! Search as you type: while a rep types in the board's search box, the best
//! matches show under it, each a link to its lead; Enter, or "Show all", filters
//! the board by the same words. Without its code the box is a plain form field.

use crate::rpc::board::search_leads;
use leadsy::leads::Lead;
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the box asks: a request per word, not per
/// key, on a slow phone network.
const PAUSE: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, PartialEq)]
enum Hits {
    /// Nothing asked yet, or too little typed to ask.
    Idle,
    Found {
        leads: Vec<Lead>,
        total: i64,
    },
    Failed(String),
}

#[island]
pub fn SearchBox(company_id: i64, initial: String) -> impl IntoView {
    let hits = RwSignal::new(Hits::Idle);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let searching = RwSignal::new(false);
    // Answers can arrive out of order: only the newest question's is shown.
    let asked = StoredValue::new(0u64);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let ask = move |text: String| {
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        let n = asked.get_value() + 1;
        asked.set_value(n);
        if text.trim().chars().count() < 2 {
            hits.set(Hits::Idle);
            searching.set(false);
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                searching.set(true);
                leptos::task::spawn_local(async move {
                    let answer = search_leads(company_id, text).await;
                    if asked.get_value() != n {
                        return;
                    }
                    searching.set(false);
                    active.set(None);
                    open.set(true);
                    hits.set(match answer {
                        Ok((leads, total)) => Hits::Found { leads, total },
                        Err(e) => Hits::Failed(e.to_string()),
                    });
                });
            },
            PAUSE,
        );
        timer.set_value(handle.ok());
    };
    let shown = move || match hits.get() {
        Hits::Found { leads, .. } => leads.len(),
        _ => 0,
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" if shown() > 0 => {
            ev.prevent_default();
            open.set(true);
            let n = shown();
            active.update(|a| {
                *a = Some(match (*a, ev.key().as_str()) {
                    (None, "ArrowDown") => 0,
                    (None, _) => n - 1,
                    (Some(i), "ArrowDown") => (i + 1) % n,
                    (Some(i), _) => (i + n - 1) % n,
                })
            });
        }
        "Enter" => {
            if let (true, Some(i), Hits::Found { leads, .. }) =
                (open.get(), active.get(), hits.get())
            {
                ev.prevent_default();
                let _ = window()
                    .location()
                    .set_href(&format!("/leads/{}", leads[i].id));
            }
        }
        "Escape" => open.set(false),
        _ => {}
    };
    view! {
        <div class="relative min-w-0 flex-1 basis-48">
            <input type="search" name="q" value=initial placeholder="Search name, company, email or phone"
                aria-label="Search leads" role="combobox" autocomplete="off" aria-autocomplete="list"
                aria-controls="search-hits" aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || active.get().map(|i| format!("search-hit-{i}"))
                class="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900"
                data-testid="search-input"
                on:input=move |ev| ask(event_target_value(&ev))
                on:focus=move |_| open.set(hits.with(|h| *h != Hits::Idle))
                on:blur=move |_| open.set(false)
                on:keydown=on_key/>
            <span class="sr-only" aria-live="polite">{move || match hits.get() {
                Hits::Found { total, .. } => format!("{total} leads match"),
                _ => String::new(),
            }}</span>
            <div id="search-hits" role="listbox" aria-label="Matching leads"
                class="absolute inset-x-0 top-full z-20 mt-1 overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg"
                class:hidden=move || !open.get() || hits.with(|h| *h == Hits::Idle)
                data-testid="search-hits"
                // Keeps the focus in the box, so a click on a match lands before the list closes.
                on:mousedown=|ev| ev.prevent_default()>
                {move || match hits.get() {
                    Hits::Idle => ().into_any(),
                    Hits::Failed(e) => view! { <p class="px-3 py-2 text-sm text-red-800" role="alert">{e}</p> }.into_any(),
                    Hits::Found { leads, .. } if leads.is_empty() => view! {
                        <p class="px-3 py-2 text-sm text-slate-700">"No lead matches."</p>
                    }.into_any(),
                    Hits::Found { leads, total } => view! {
                        <ul>
                            {leads.into_iter().enumerate().map(|(i, l)| hit(i, l, active)).collect_view()}
                        </ul>
                        <button type="submit" class="block w-full border-t border-slate-200 px-3 py-2 text-left text-sm font-medium text-indigo-800 hover:bg-slate-50">
                            {if total == 1 { "Show it on the board".to_string() } else { format!("Show all {total} on the board") }}
                        </button>
                    }.into_any(),
                }}
            </div>
            <span class="pointer-events-none absolute right-2 top-1.5 text-xs text-slate-500" class:hidden=move || !searching.get()>"Searching…"</span>
        </div>
    }
}

/// One match: who, where they work, and how to reach them.
fn hit(i: usize, lead: Lead, active: RwSignal<Option<usize>>) -> impl IntoView {
    let reach = [lead.email.clone(), lead.phone.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li role="option" id=format!("search-hit-{i}") aria-selected=move || (active.get() == Some(i)).to_string()>
            <a href=format!("/leads/{}", lead.id) data-testid="search-hit"
                class=move || format!("block px-3 py-2 text-sm hover:bg-slate-50 {}", if active.get() == Some(i) { "bg-indigo-50" } else { "" })>
                <span class="font-medium text-slate-900">{lead.full_name()}</span>
                {(!lead.company_name.is_empty()).then(|| view! { <span class="text-slate-600">{format!(" · {}", lead.company_name)}</span> })}
                {(!reach.is_empty()).then(|| view! { <span class="block truncate text-xs text-slate-600">{reach}</span> })}
            </a>
        </li>
    }
}
