//! A list in priority order that a manager rearranges by dragging a row, or with
//! its ↑ and ↓ buttons. The rows and their buttons are plain HTML forms (they work
//! before and without the page's code); the island around them adds dragging once
//! it has hydrated, moving the rows it was given and saving the new order.

use crate::rpc::process::reorder_questions;
use crate::rpc::routing::reorder_sources;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use serde::{Deserialize, Serialize};

/// What a list orders, which names the server function that saves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ordered {
    Sources,
    Questions,
}

impl Ordered {
    fn noun(self) -> &'static str {
        match self {
            Ordered::Sources => "source",
            Ordered::Questions => "question",
        }
    }

    fn post_to(self) -> &'static str {
        use leptos::server_fn::ServerFn;
        match self {
            Ordered::Sources => crate::rpc::routing::ReorderSources::PATH,
            Ordered::Questions => crate::rpc::process::ReorderQuestions::PATH,
        }
    }
}

/// `ids` in their saved order, each drawn by `row`; `enabled` when the caller may
/// change the order (managers and admins).
pub fn reorder_list(
    company_id: i64,
    ids: Vec<i64>,
    what: Ordered,
    enabled: bool,
    row: impl Fn(i64) -> AnyView,
) -> impl IntoView {
    let joined = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let swapped = |i: usize, j: Option<usize>| {
        let j = j.filter(|j| *j < ids.len())?;
        let mut v = ids.clone();
        v.swap(i, j);
        Some(joined(&v))
    };
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let button = |target: Option<String>, arrow: &'static str, word: &'static str| {
                view! {
                    <form method="post" action=what.post_to()>
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="order" value=target.clone().unwrap_or_default() data-step=word/>
                        <button type="submit" disabled=target.is_none()
                            class="rounded px-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-30"
                            aria-label=format!("Move {} {word}", what.noun())>{arrow}</button>
                    </form>
                }
            };
            view! {
                <li class="flex items-center gap-3 px-4 py-3" data-testid="reorder-item" data-id=id>
                    <span class="w-6 text-right text-sm font-semibold text-slate-600" data-testid="reorder-position">{i + 1}</span>
                    {enabled.then(|| view! { <span class="hidden cursor-grab select-none text-slate-600" aria-hidden="true" title="Drag to reorder" data-grip="">"⠿"</span> })}
                    <div class="min-w-0 flex-1">{row(id)}</div>
                    {enabled.then(|| view! {
                        <div class="flex shrink-0 items-center">
                            {button(swapped(i, i.checked_sub(1)), "↑", "up")}
                            {button(swapped(i, Some(i + 1)), "↓", "down")}
                        </div>
                    })}
                </li>
            }
        })
        .collect_view();
    let list = view! { <ol class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="reorder-list">{rows}</ol> };
    if enabled {
        view! { <Draggable company_id what>{list}</Draggable> }.into_any()
    } else {
        list.into_any()
    }
}

/// Makes the rows of the list inside it draggable by their grip (a row holds
/// forms whose text must stay selectable), and saves each new order.
#[island]
fn Draggable(company_id: i64, what: Ordered, children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let dragging = StoredValue::new_local(None::<web_sys::Element>);
    let before = StoredValue::new(String::new());
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        for row in rows(root) {
            if let Ok(Some(grip)) = row.query_selector("[data-grip]") {
                let _ = grip.set_attribute("draggable", "true");
                let _ = grip.class_list().remove_1("hidden");
            }
        }
    });
    let save = move || {
        let order = order(root);
        if order == before.get_value() {
            return;
        }
        renumber(root);
        spawn_save(company_id, what, order, message);
    };
    view! {
        <div
            node_ref=root
            on:dragstart=move |ev| {
                let row = row_of(ev.target());
                if let (Some(dt), Some(row)) = (ev.data_transfer(), &row) {
                    let _ = dt.set_data("text/plain", &row.get_attribute("data-id").unwrap_or_default());
                    dt.set_effect_allowed("move");
                    dt.set_drag_image(row, 0, 0);
                    let _ = row.class_list().add_2("bg-indigo-50", "opacity-70");
                }
                before.set_value(order(root));
                dragging.set_value(row);
            }
            on:dragover=move |ev| {
                let Some(held) = dragging.get_value() else { return };
                ev.prevent_default();
                let Some(over) = row_of(ev.target()) else { return };
                if over == held {
                    return;
                }
                let list = rows(root);
                let at = |el: &web_sys::Element| list.iter().position(|r| r == el);
                let (Some(from), Some(to), Some(parent)) = (at(&held), at(&over), over.parent_node()) else { return };
                let anchor = if from < to { over.next_sibling() } else { Some(over.clone().into()) };
                let _ = parent.insert_before(&held, anchor.as_ref());
            }
            on:drop=move |ev| ev.prevent_default()
            on:dragend=move |_| {
                if let Some(row) = dragging.get_value() {
                    let _ = row.class_list().remove_2("bg-indigo-50", "opacity-70");
                }
                dragging.set_value(None);
                save();
            }
        >
            {move || message.get().map(|m| view! {
                <p class="mb-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="alert">{m}</p>
            })}
            {children()}
        </div>
    }
}

fn spawn_save(company_id: i64, what: Ordered, order: String, message: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        let saved = match what {
            Ordered::Sources => reorder_sources(company_id, order).await,
            Ordered::Questions => reorder_questions(company_id, order).await,
        };
        message.set(saved.err().map(|e| {
            format!("The new order was not saved: {e}. Reload the page to see the saved one.")
        }));
    });
}

fn row_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    target?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("li[data-id]")
        .ok()
        .flatten()
}

fn rows(root: NodeRef<leptos::html::Div>) -> Vec<web_sys::Element> {
    let Some(root) = root.get_untracked() else {
        return Vec::new();
    };
    let Ok(list) = root.query_selector_all("li[data-id]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .collect()
}

fn ids(root: NodeRef<leptos::html::Div>) -> Vec<String> {
    rows(root)
        .iter()
        .filter_map(|r| r.get_attribute("data-id"))
        .collect()
}

fn order(root: NodeRef<leptos::html::Div>) -> String {
    ids(root).join(",")
}

/// After a drag, each row's number and its ↑/↓ forms say what they now do.
fn renumber(root: NodeRef<leptos::html::Div>) {
    let ids = ids(root);
    for (i, row) in rows(root).iter().enumerate() {
        if let Ok(Some(n)) = row.query_selector("[data-testid=reorder-position]") {
            n.set_text_content(Some(&(i + 1).to_string()));
        }
        for (step, j) in [("up", i.checked_sub(1)), ("down", Some(i + 1))] {
            let target = j.filter(|j| *j < ids.len()).map(|j| {
                let mut v = ids.clone();
                v.swap(i, j);
                v.join(",")
            });
            let input = row
                .query_selector(&format!("input[data-step={step}]"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(input) = input {
                input.set_value(target.as_deref().unwrap_or_default());
                if let Some(button) = input
                    .next_element_sibling()
                    .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
                {
                    button.set_disabled(target.is_none());
                }
            }
        }
    }
}
