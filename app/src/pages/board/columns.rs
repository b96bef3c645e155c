//! The columns and the moves between them. A move shows at once and is undone,
//! with a message, if the server refuses it.

use super::card::Card;
use super::chart::Chart;
use crate::rpc::board::{column_page, move_lead, BoardData, PER_COLUMN};
use leadsy::leads::{format_amount, BoardColumn, LeadFilter};
use leadsy::numbers::grouped;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A column as the page holds it: the cards loaded so far and the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub data: BoardColumn,
    pub next_page: i64,
    pub loading: bool,
}

impl Column {
    fn has_more(&self) -> bool {
        (self.data.leads.len() as i64) < self.data.metric.count
    }
}

/// What every card needs to move itself.
#[derive(Clone, Copy)]
pub struct Moves {
    pub columns: RwSignal<Vec<Column>>,
    pub company_id: i64,
    pub message: RwSignal<Option<String>>,
    pub dragging: RwSignal<Option<i64>>,
}

impl Moves {
    /// Moves `lead_id` to `to_stage` on the page, then asks the server.
    pub fn move_lead(self, lead_id: i64, to_stage: i64) {
        let before = self.columns.get_untracked();
        let mut moved = false;
        self.columns.update(|cols| {
            let Some(from) = cols
                .iter()
                .position(|c| c.data.leads.iter().any(|l| l.id == lead_id))
            else {
                return;
            };
            let Some(to) = cols.iter().position(|c| c.data.metric.stage_id == to_stage) else {
                return;
            };
            if from == to {
                return;
            }
            let at = cols[from]
                .data
                .leads
                .iter()
                .position(|l| l.id == lead_id)
                .expect("found above");
            let mut lead = cols[from].data.leads.remove(at);
            cols[from].data.metric.count -= 1;
            cols[from].data.metric.value_cents -= lead.value_cents;
            lead.stage_id = to_stage;
            cols[to].data.metric.count += 1;
            cols[to].data.metric.value_cents += lead.value_cents;
            cols[to].data.leads.insert(0, lead);
            moved = true;
        });
        if !moved {
            return;
        }
        self.message.set(None);
        let (columns, message, company_id) = (self.columns, self.message, self.company_id);
        spawn_local(async move {
            if let Err(e) = move_lead(company_id, lead_id, to_stage).await {
                columns.set(before);
                message.set(Some(format!("The lead was not moved: {e}")));
            }
        });
    }

    /// The stage before or after the lead's, for the keyboard.
    pub fn neighbour(self, stage_id: i64, step: i64) -> Option<i64> {
        let cols = self.columns.get_untracked();
        let i = cols
            .iter()
            .position(|c| c.data.metric.stage_id == stage_id)? as i64
            + step;
        cols.get(usize::try_from(i).ok()?)
            .map(|c| c.data.metric.stage_id)
    }
}

#[component]
pub fn Columns(company_id: i64, filter: LeadFilter, board: BoardData) -> impl IntoView {
    let stages: Vec<(i64, String)> = board
        .columns
        .iter()
        .map(|c| (c.metric.stage_id, c.metric.stage_name.clone()))
        .collect();
    let columns = RwSignal::new(
        board
            .columns
            .into_iter()
            .map(|data| Column {
                data,
                next_page: 2,
                loading: false,
            })
            .collect::<Vec<_>>(),
    );
    let moves = Moves {
        columns,
        company_id,
        message: RwSignal::new(None),
        dragging: RwSignal::new(None),
    };
    let now = board.now;
    let stages = StoredValue::new(stages);
    let filter = StoredValue::new(filter);
    let load_more = move |stage_id: i64| {
        let Some(col) = columns
            .get_untracked()
            .into_iter()
            .find(|c| c.data.metric.stage_id == stage_id)
        else {
            return;
        };
        if col.loading || !col.has_more() {
            return;
        }
        let set_loading = move |on: bool| {
            columns.update(|cs| {
                cs.iter_mut()
                    .filter(|c| c.data.metric.stage_id == stage_id)
                    .for_each(|c| c.loading = on)
            })
        };
        set_loading(true);
        let f = LeadFilter {
            stage_id: Some(stage_id),
            ..filter.get_value()
        };
        spawn_local(async move {
            let page = column_page(company_id, f, col.next_page).await;
            columns.update(|cs| {
                let known: Vec<i64> = cs
                    .iter()
                    .flat_map(|c| c.data.leads.iter().map(|l| l.id))
                    .collect();
                if let Some(c) = cs.iter_mut().find(|c| c.data.metric.stage_id == stage_id) {
                    c.loading = false;
                    match page {
                        Ok(leads) => {
                            if (leads.len() as i64) < PER_COLUMN {
                                c.data.metric.count = c
                                    .data
                                    .metric
                                    .count
                                    .min(c.data.leads.len() as i64 + leads.len() as i64);
                            }
                            c.data
                                .leads
                                .extend(leads.into_iter().filter(|l| !known.contains(&l.id)));
                            c.next_page += 1;
                        }
                        Err(e) => moves
                            .message
                            .set(Some(format!("More leads could not be loaded: {e}"))),
                    }
                }
            });
        });
    };
    view! {
        <div class="space-y-4">
            <Chart columns/>
            {move || moves.message.get().map(|m| view! {
                <div class="flex items-center justify-between rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700" role="alert" data-testid="board-message">
                    {m}
                    <button type="button" class="ml-4 text-red-800 hover:underline" on:click=move |_| moves.message.set(None)>"Dismiss"</button>
                </div>
            })}
            <p class="text-xs text-slate-500">"Drag a card to another column, or focus it and press ← or → to move it; the menu on each card works too."</p>
            <div class="flex gap-3 overflow-x-auto pb-4" data-testid="board">
                <For each=move || columns.get() key=|c| (c.data.metric.stage_id, c.data.metric.count, c.data.leads.len(), c.loading) let:col>
                    {
                        let stage_id = col.data.metric.stage_id;
                        let has_more = col.has_more();
                        let loading = col.loading;
                        let hover = RwSignal::new(false);
                        view! {
                            <section
                                class=move || format!("flex w-72 shrink-0 flex-col rounded-xl border bg-slate-100 {}", if hover.get() { "border-indigo-400 ring-2 ring-indigo-200" } else { "border-slate-200" })
                                data-testid="column"
                                data-stage-key=col.data.metric.stage_key.clone()
                                aria-label=col.data.metric.stage_name.clone()
                                on:dragover=move |ev| { ev.prevent_default(); hover.set(true); }
                                on:dragleave=move |_| hover.set(false)
                                on:drop=move |ev| {
                                    ev.prevent_default();
                                    hover.set(false);
                                    if let Some(id) = moves.dragging.get_untracked() {
                                        moves.dragging.set(None);
                                        moves.move_lead(id, stage_id);
                                    }
                                }
                            >
                                <header class="border-b border-slate-200 px-3 py-2">
                                    <h2 class="text-sm font-semibold text-slate-800">{col.data.metric.stage_name.clone()}</h2>
                                    <p class="text-xs text-slate-500">
                                        <span data-testid="column-count">{grouped(col.data.metric.count)}</span>
                                        {if col.data.metric.count == 1 { " lead · " } else { " leads · " }}
                                        {format_amount(col.data.metric.value_cents)}
                                    </p>
                                </header>
                                <ul
                                    class="flex max-h-[70vh] min-h-24 flex-col gap-2 overflow-y-auto p-2"
                                    on:scroll=move |ev| {
                                        let el = event_target::<web_sys::HtmlElement>(&ev);
                                        if el.scroll_top() + el.client_height() >= el.scroll_height() - 120 {
                                            load_more(stage_id);
                                        }
                                    }
                                >
                                    {col.data.leads.clone().into_iter().map(|lead| view! {
                                        <Card lead moves now stages=stages.get_value()/>
                                    }).collect_view()}
                                    {has_more.then(|| view! {
                                        <li>
                                            <button type="button" class="w-full rounded-md py-1 text-xs text-slate-600 hover:bg-slate-200"
                                                on:click=move |_| load_more(stage_id) disabled=loading>
                                                {if loading { "Loading…" } else { "Show more" }}
                                            </button>
                                        </li>
                                    })}
                                </ul>
                            </section>
                        }
                    }
                </For>
            </div>
        </div>
    }
}
