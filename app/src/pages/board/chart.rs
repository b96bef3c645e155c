//! Leads by stage as bars: one glance says where the pipeline is thick and where
//! it thins out. The bars are HTML, so their labels keep their size on a phone; the
//! chart folds away (closed by default) to leave the cards the first screen.

use super::columns::Column;
use leadsy::leads::format_amount;
use leadsy::numbers::grouped;
use leptos::prelude::*;

#[component]
pub fn Chart(columns: RwSignal<Vec<Column>>) -> impl IntoView {
    let metrics = move || {
        columns
            .get()
            .into_iter()
            .map(|c| c.data.metric)
            .collect::<Vec<_>>()
    };
    let total = move || metrics().iter().map(|m| m.count).sum::<i64>();
    let value = move || metrics().iter().map(|m| m.value_cents).sum::<i64>();
    view! {
        <details class="group rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="metrics-chart">
            <summary class="flex cursor-pointer items-baseline justify-between gap-3 px-4 py-2 text-sm">
                <span class="font-semibold text-slate-900">"Pipeline by stage"</span>
                <span class="text-slate-700">{move || format!("{} leads · {}", grouped(total()), format_amount(value()))}</span>
            </summary>
            <ul class="space-y-1.5 px-4 pb-3" aria-label="Number of leads and their value in each stage">
                {move || {
                    let ms = metrics();
                    let max = ms.iter().map(|m| m.count).max().unwrap_or(0).max(1);
                    ms.into_iter().map(|m| {
                        let share = if m.count == 0 { 0.0 } else { (m.count as f64 * 100.0 / max as f64).max(1.0) };
                        let fill = match m.stage_key.as_str() {
                            "won" => "bg-emerald-600",
                            "lost" => "bg-rose-600",
                            _ => "bg-indigo-600",
                        };
                        view! {
                            <li class="grid grid-cols-[5.5rem_1fr_auto] items-center gap-2 text-xs sm:grid-cols-[8rem_1fr_12rem]">
                                <span class="truncate text-slate-800">{m.stage_name.clone()}</span>
                                <span class="h-3 rounded bg-slate-100" aria-hidden="true">
                                    <span class=format!("block h-3 rounded {fill}") style=format!("width: {share:.1}%")></span>
                                </span>
                                <span class="text-right tabular-nums text-slate-900">{format!("{} · {}", grouped(m.count), format_amount(m.value_cents))}</span>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </details>
    }
}
