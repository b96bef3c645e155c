//! The board itself, the one island of the page: a column per stage, the chart of
//! the same, and the moves between them. A move shows at once and is undone, with
//! a message, if the server refuses it. On a phone one column fills the screen and
//! the stage strip above picks another (or a swipe does); from a tablet up the
//! columns share the window, so Won and Lost are always in reach.

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

/// What every card needs to move itself and the keyboard's focus.
#[derive(Clone, Copy)]
pub struct Moves {
    pub columns: RwSignal<Vec<Column>>,
    pub company_id: i64,
    pub message: RwSignal<Option<String>>,
    /// What the screen reader hears after a move.
    pub announcement: RwSignal<String>,
    pub dragging: RwSignal<Option<i64>>,
    /// False until the island has hydrated: until then a card is a plain form.
    pub hydrated: RwSignal<bool>,
}

impl Moves {
    /// Moves `lead_id` to `to_stage` on the page, then asks the server.
    pub fn move_lead(self, lead_id: i64, to_stage: i64) {
        let before = self.columns.get_untracked();
        let mut moved = None;
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
            moved = Some((
                lead.full_name(),
                cols[to].data.metric.stage_name.clone(),
                lead.version,
            ));
            cols[to].data.leads.insert(0, lead);
        });
        let Some((name, stage, version)) = moved else {
            return;
        };
        self.message.set(None);
        self.announcement.set(format!("{name} moved to {stage}."));
        let (columns, message, announcement, company_id) = (
            self.columns,
            self.message,
            self.announcement,
            self.company_id,
        );
        spawn_local(async move {
            match move_lead(company_id, lead_id, to_stage, Some(version)).await {
                // The next move of this card is made against what was just saved.
                Ok(saved) => columns.update(|cols| {
                    if let Some(l) = cols
                        .iter_mut()
                        .flat_map(|c| c.data.leads.iter_mut())
                        .find(|l| l.id == lead_id)
                    {
                        l.version = saved.version;
                    }
                }),
                Err(e) => {
                    columns.set(before);
                    let text = format!("{name} was not moved: {e}");
                    announcement.set(text.clone());
                    message.set(Some(text));
                }
            }
        });
    }

    /// The stage `step` columns before or after `stage_id`.
    pub fn neighbour(self, stage_id: i64, step: i64) -> Option<i64> {
        let cols = self.columns.get_untracked();
        let i = cols
            .iter()
            .position(|c| c.data.metric.stage_id == stage_id)? as i64
            + step;
        cols.get(usize::try_from(i).ok()?)
            .map(|c| c.data.metric.stage_id)
    }

    /// The card the arrow keys go to from `lead_id`: the one above or below it, or
    /// the nearest in the next column that has cards, at the same height.
    pub fn card_towards(self, lead_id: i64, across: i64, down: i64) -> Option<i64> {
        let cols = self.columns.get_untracked();
        let (c, r) = cols.iter().enumerate().find_map(|(c, col)| {
            col.data
                .leads
                .iter()
                .position(|l| l.id == lead_id)
                .map(|r| (c, r))
        })?;
        if across == 0 {
            let r = usize::try_from(r as i64 + down).ok()?;
            return cols[c].data.leads.get(r).map(|l| l.id);
        }
        let mut i = c as i64 + across;
        while let Some(col) = usize::try_from(i).ok().and_then(|i| cols.get(i)) {
            if let Some(last) = col.data.leads.len().checked_sub(1) {
                return Some(col.data.leads[r.min(last)].id);
            }
            i += across;
        }
        None
    }
}

#[island]
pub fn Board(company_id: i64, filter: LeadFilter, board: BoardData) -> impl IntoView {
    let stages: Vec<(i64, String)> = board
        .columns
        .iter()
        .map(|c| (c.metric.stage_id, c.metric.stage_name.clone()))
        .collect();
    let count = board.columns.len();
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
        announcement: RwSignal::new(String::new()),
        dragging: RwSignal::new(None),
        hydrated: RwSignal::new(false),
    };
    Effect::new(move |_| moves.hydrated.set(true));
    let now = board.now;
    let stages = StoredValue::new(stages);
    let filter = StoredValue::new(filter);
    let load_more = move |stage_id: i64| load_more(moves, filter.get_value(), stage_id);
    view! {
        <div class="space-y-3">
            <Chart columns/>
            <p id="board-keys" class="hidden text-xs text-slate-600 sm:block">
                "Drag a card to another column, or pick a stage in its menu. With the keyboard: arrows go from card to card, Shift with ← or → moves the card, Enter opens it."
            </p>
            <p class="text-xs text-slate-600 sm:hidden">"Swipe between stages, or tap one below; a card's menu moves it."</p>
            <p class="sr-only" aria-live="polite" data-testid="board-announcement">{move || moves.announcement.get()}</p>
            {move || moves.message.get().map(|m| view! {
                <div class="flex items-center justify-between rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="board-message">
                    {m}
                    <button type="button" class="ml-4 font-medium underline" on:click=move |_| moves.message.set(None)>"Dismiss"</button>
                </div>
            })}
            <nav class="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1 sm:hidden" aria-label="Stages" data-testid="stage-strip">
                {move || columns.get().into_iter().map(|c| view! {
                    <a href=format!("#stage-{}", c.data.metric.stage_key)
                        class="shrink-0 rounded-full border border-slate-300 bg-white px-3 py-1 text-xs text-slate-800">
                        <span class="font-medium">{c.data.metric.stage_name.clone()}</span>
                        {format!(" {} · {}", grouped(c.data.metric.count), format_amount(c.data.metric.value_cents))}
                    </a>
                }).collect_view()}
            </nav>
            <div
                class="-mx-4 flex snap-x snap-mandatory gap-3 overflow-x-auto px-4 pb-3 sm:mx-0 sm:px-0 lg:grid lg:snap-none lg:gap-2 lg:overflow-visible lg:[grid-template-columns:repeat(var(--columns),minmax(0,1fr))]"
                style=format!("--columns: {count}")
                data-testid="board"
            >
                <For each=move || columns.get() key=|c| (c.data.metric.stage_id, c.data.metric.count, c.data.leads.len(), c.loading) let:col>
                    {
                        let stage_id = col.data.metric.stage_id;
                        let has_more = col.has_more();
                        let loading = col.loading;
                        let hover = RwSignal::new(false);
                        let name = col.data.metric.stage_name.clone();
                        let heading = format!("column-{}", col.data.metric.stage_key);
                        let labelled_by = heading.clone();
                        view! {
                            <section
                                id=format!("stage-{}", col.data.metric.stage_key)
                                class=move || format!("flex w-full shrink-0 snap-center flex-col rounded-xl border bg-slate-100 sm:w-64 lg:w-auto lg:min-w-0 {}", if hover.get() { "border-indigo-500 ring-2 ring-indigo-200" } else { "border-slate-200" })
                                data-testid="column"
                                data-stage-key=col.data.metric.stage_key.clone()
                                aria-labelledby=labelled_by
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
                                    <h2 id=heading class="truncate text-sm font-semibold text-slate-900">{name}</h2>
                                    <p class="text-xs text-slate-600">
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
                                            <button type="button" class="w-full rounded-md py-1 text-xs text-slate-700 hover:bg-slate-200 disabled:opacity-60"
                                                on:click=move |_| load_more(stage_id) disabled=move || loading || !moves.hydrated.get()>
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

/// Reads the next page of one column and appends the cards not already shown.
fn load_more(moves: Moves, filter: LeadFilter, stage_id: i64) {
    let columns = moves.columns;
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
        ..filter
    };
    let company_id = moves.company_id;
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
}
