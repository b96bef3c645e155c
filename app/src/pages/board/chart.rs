//! Leads by stage as bars the page draws itself in SVG: one glance says where
//! the pipeline is thick and where it thins out.

use super::columns::Column;
use leadsy::leads::format_amount;
use leadsy::numbers::grouped;
use leptos::prelude::*;

const BAR_HEIGHT: i64 = 16;
const GAP: i64 = 6;
const LABEL_WIDTH: i64 = 130;
const BAR_SPACE: i64 = 420;

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
    view! {
        <figure class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="metrics-chart">
            <figcaption class="mb-2 flex items-baseline justify-between text-sm">
                <span class="font-semibold text-slate-800">"Pipeline by stage"</span>
                <span class="text-slate-500">{move || format!("{} leads", grouped(total()))}</span>
            </figcaption>
            {move || {
                let ms = metrics();
                let max = ms.iter().map(|m| m.count).max().unwrap_or(0).max(1);
                let height = ms.len() as i64 * (BAR_HEIGHT + GAP);
                let width = LABEL_WIDTH + BAR_SPACE + 170;
                view! {
                    <svg viewBox=format!("0 0 {width} {height}") class="w-full max-w-3xl" role="img"
                        aria-label="Number of leads and their value in each stage">
                        {ms.into_iter().enumerate().map(|(i, m)| {
                            let y = i as i64 * (BAR_HEIGHT + GAP);
                            let w = if m.count == 0 { 0 } else { (m.count * BAR_SPACE / max).max(3) };
                            let fill = match m.stage_key.as_str() {
                                "won" => "#10b981",
                                "lost" => "#f43f5e",
                                _ => "#6366f1",
                            };
                            view! {
                                <g>
                                    <title>{format!("{}: {} leads, {}", m.stage_name, grouped(m.count), format_amount(m.value_cents))}</title>
                                    <text x=LABEL_WIDTH - 8 y=y + 12 text-anchor="end" font-size="12" fill="#334155">{m.stage_name.clone()}</text>
                                    <rect x=LABEL_WIDTH y=y width=BAR_SPACE height=BAR_HEIGHT rx="4" fill="#f1f5f9"/>
                                    <rect x=LABEL_WIDTH y=y width=w height=BAR_HEIGHT rx="4" fill=fill/>
                                    <text x=LABEL_WIDTH + BAR_SPACE + 8 y=y + 12 font-size="12" fill="#0f172a">
                                        {format!("{} · {}", grouped(m.count), format_amount(m.value_cents))}
                                    </text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                }
            }}
        </figure>
    }
}
