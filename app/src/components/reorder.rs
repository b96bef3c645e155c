//! A list in priority order that a manager rearranges by dragging a row, or with
//! its ↑ and ↓ buttons (keyboard, and plain forms before the WASM loads).

use leptos::prelude::*;

/// `ids` in their saved order; `row` draws one; `save` gets the new order as
/// comma-separated ids; `post_to` is the server function a plain form posts to.
#[component]
pub fn ReorderList<R>(
    company_id: i64,
    ids: Vec<i64>,
    row: R,
    post_to: &'static str,
    save: Callback<String>,
    /// Whether the caller may change the order (managers and admins).
    enabled: bool,
    /// What a row is, for the buttons' labels ("source", "question").
    noun: &'static str,
) -> impl IntoView
where
    R: Fn(i64) -> AnyView + Clone + Send + Sync + 'static,
{
    let order = RwSignal::new(ids.clone());
    let dragging = RwSignal::new(None::<i64>);
    let before_drag = StoredValue::new(ids);
    let joined = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let moved = move |id: i64, step: isize| {
        let mut v = order.get_untracked();
        let i = v.iter().position(|x| *x == id)?;
        let j = i.checked_add_signed(step).filter(|j| *j < v.len())?;
        v.swap(i, j);
        Some(v)
    };
    view! {
        <ol class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="reorder-list">
            <For each=move || order.get() key=|id| *id let:id>
                {
                    let row = row.clone();
                    let position = move || order.read().iter().position(|x| *x == id).map(|p| p + 1).unwrap_or(0);
                    let button = move |step: isize, arrow: &'static str, word: &'static str| {
                        let target = move || moved(id, step).map(|v| joined(&v));
                        view! {
                            <form method="post" action=post_to
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    if let Some(v) = moved(id, step) {
                                        order.set(v.clone());
                                        save.run(joined(&v));
                                    }
                                }>
                                <input type="hidden" name="company_id" value=company_id/>
                                <input type="hidden" name="order" value=move || target().unwrap_or_default()/>
                                <button type="submit" disabled=move || target().is_none()
                                    class="rounded px-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-30"
                                    aria-label=format!("Move {noun} {word}")>{arrow}</button>
                            </form>
                        }
                    };
                    view! {
                        <li
                            class=move || if dragging.get() == Some(id) { "flex items-center gap-3 bg-indigo-50 px-4 py-3 opacity-70" } else { "flex items-center gap-3 px-4 py-3" }
                            data-testid="reorder-item"
                            data-id=id
                            draggable=enabled.then_some("true")
                            on:dragstart=move |ev| {
                                if let Some(dt) = ev.data_transfer() {
                                    let _ = dt.set_data("text/plain", &id.to_string());
                                    dt.set_effect_allowed("move");
                                }
                                before_drag.set_value(order.get_untracked());
                                dragging.set(Some(id));
                            }
                            on:dragover=move |ev| {
                                let Some(held) = dragging.get_untracked() else { return };
                                ev.prevent_default();
                                if held == id { return; }
                                order.update(|v| {
                                    if let (Some(from), Some(to)) = (v.iter().position(|x| *x == held), v.iter().position(|x| *x == id)) {
                                        let item = v.remove(from);
                                        v.insert(to, item);
                                    }
                                });
                            }
                            on:drop=move |ev| ev.prevent_default()
                            on:dragend=move |_| {
                                dragging.set(None);
                                let now = order.get_untracked();
                                if now != before_drag.get_value() {
                                    save.run(joined(&now));
                                }
                            }
                        >
                            <span class="w-6 text-right text-sm font-semibold text-slate-400" data-testid="reorder-position">{position}</span>
                            {enabled.then(|| view! { <span class="cursor-grab select-none text-slate-400" aria-hidden="true" title="Drag to reorder">"⠿"</span> })}
                            <div class="min-w-0 flex-1">{row(id)}</div>
                            {enabled.then(|| view! {
                                <div class="flex shrink-0 items-center">
                                    {button(-1, "↑", "up")}
                                    {button(1, "↓", "down")}
                                </div>
                            })}
                        </li>
                    }
                }
            </For>
        </ol>
    }
}
