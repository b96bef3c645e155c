//! A lead's page: its stage (changed in place), how to reach them, every field,
//! the company's questions to answer, the notes (add, delete) and the
//! appointments (book one), and its history.

use super::board::member_page;
use super::lead_history::History;
use crate::components::answers::AnswerInputs;
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::components::panel::{load_failed, Confirm};
use crate::components::zone::{on_day, when};
use crate::rpc::board::{catalog, move_lead, Choices, MoveLead};
use crate::rpc::leads::{
    lead_page, AddNote, AnswerQuestions, BookAppointment, DeleteNote, LeadRecord,
};
use crate::rpc::merge::UndoMerge;
use leadsy::leads::{format_amount, Merge};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn LeadDetailPage() -> impl IntoView {
    member_page(false, |company_id| {
        view! { <LeadView company_id/> }.into_any()
    })
}

#[component]
fn LeadView(company_id: i64) -> impl IntoView {
    let params = use_params_map();
    let lead_id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let add_note = ServerAction::<AddNote>::new();
    let delete_note = ServerAction::<DeleteNote>::new();
    let book = ServerAction::<BookAppointment>::new();
    let answer = ServerAction::<AnswerQuestions>::new();
    let data = Resource::new(move || lead_id.get(), move |id| lead_page(company_id, id));
    let catalog = Resource::new(move || company_id, catalog);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (page, cat) = (data.await, catalog.await);
                match page.and_then(|p| cat.map(|c| (p, c))) {
                    Err(e) => view! {
                        <div class="space-y-2">
                            {load_failed(e)}
                            <a href="/board" class="text-indigo-800 hover:underline">"Back to the board"</a>
                        </div>
                    }.into_any(),
                    Ok((page, catalog)) => {
                        let cycle = page.detail.lead.cycle_id.and_then(|id| catalog.cycles.iter().find(|c| c.id == id)).map(|c| c.name.clone());
                        view! { <Details company_id page catalog cycle add_note delete_note book answer/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Details(
    company_id: i64,
    page: LeadRecord,
    catalog: Choices,
    cycle: Option<String>,
    add_note: ServerAction<AddNote>,
    delete_note: ServerAction<DeleteNote>,
    book: ServerAction<BookAppointment>,
    answer: ServerAction<AnswerQuestions>,
) -> impl IntoView {
    let lead = page.detail.lead.clone();
    let id = lead.id;
    let note_outcome: Outcome = add_note.value().into();
    let delete_outcome: Outcome = delete_note.value().into();
    let book_outcome: Outcome = book.value().into();
    let answer_outcome: Outcome = answer.value().into();
    let answered = use_query_map().read_untracked().get("answered").is_some();
    let stages: Vec<(i64, String)> = catalog
        .stages
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let has_questions = !catalog.questions.is_empty();
    let names = catalog.clone();
    view! {
        <div class="space-y-6" data-testid="lead-detail">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div class="min-w-0">
                    <a href="/board" class="text-sm text-indigo-800 hover:underline">"← Board"</a>
                    <h1 class="break-words text-2xl font-semibold">{lead.full_name()}</h1>
                    <p class="text-slate-700">{lead.company_name.clone()}</p>
                </div>
                <a href=format!("/leads/{id}/edit") class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">"Edit"</a>
            </div>
            <Merges company_id lead_id=id merges=page.merges.clone() manages=catalog.manages/>
            <section class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
                <div class="flex flex-wrap items-center gap-x-6 gap-y-3 border-b border-slate-100 pb-4">
                    <StagePicker company_id lead_id=id stage_id=lead.stage_id version=lead.version stages/>
                    {lead.email.clone().map(|e| view! {
                        <a href=format!("mailto:{e}") class="break-all text-sm font-medium text-indigo-800 underline" data-testid="lead-email">{e.clone()}</a>
                    })}
                    {lead.phone.clone().map(|p| view! {
                        <a href=format!("tel:{}", p.replace(' ', "")) class="text-sm font-medium text-indigo-800 underline" data-testid="lead-phone">{p.clone()}</a>
                    })}
                </div>
                <dl class="divide-y divide-slate-100">
                    {row("Postal code", lead.postal_code.clone().unwrap_or_default())}
                    {row("Value", format_amount(lead.value_cents))}
                    {row("Source", lead.source_name.clone().unwrap_or_default())}
                    {row("Campaign", lead.campaign_name.clone().unwrap_or_default())}
                    {row("Cycle", cycle.unwrap_or_default())}
                    {row("Assigned to", lead.assignee_name.clone().unwrap_or_else(|| "Unassigned".into()))}
                    {row("Created", when(lead.created_at))}
                    {row("Updated", when(lead.updated_at))}
                </dl>
            </section>
            <section class="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="answers">
                <h2 class="text-lg font-semibold">"Questions"</h2>
                {if has_questions {
                    view! {
                        {answered.then(|| view! { <p class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" role="status">"Answers saved."</p> })}
                        <FormError outcome=answer_outcome fields=&[]/>
                        <ActionForm action=answer attr:class="grid gap-4 sm:grid-cols-2">
                            <input type="hidden" name="company_id" value=company_id/>
                            <input type="hidden" name="lead_id" value=id/>
                            <AnswerInputs questions=catalog.questions.clone() answers=lead.answers.clone() prefix="answers" outcome=answer_outcome/>
                            <div class="sm:col-span-2">
                                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">"Save answers"</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <p class="text-sm text-slate-700">
                            "Your company asks no questions about its leads yet. "
                            {catalog.manages.then(|| view! { <a href="/settings/questions" class="font-medium text-indigo-800 underline">"Set them up"</a> })}
                        </p>
                    }.into_any()
                }}
            </section>
            <div class="grid gap-6 lg:grid-cols-2">
                <section class="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="notes">
                    <h2 class="text-lg font-semibold">"Notes"</h2>
                    <FormError outcome=note_outcome fields=&["body"]/>
                    <FormError outcome=delete_outcome/>
                    <ActionForm action=add_note>
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="lead_id" value=id/>
                        <label class="block">
                            <span class="sr-only">"New note"</span>
                            <textarea name="body" rows="3" required placeholder="What happened, what is next…"
                                class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" data-testid="note-body">{typed(note_outcome, "body")}</textarea>
                        </label>
                        {move || error_of(note_outcome)().and_then(|e| e.field("body")).map(|m| view! { <p class="text-sm text-red-700" role="alert">"Note "{m}</p> })}
                        <button type="submit" class="mt-2 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">"Add note"</button>
                    </ActionForm>
                    <ul class="space-y-3">
                        {page.detail.notes.clone().into_iter().map(|n| view! {
                            <li class="rounded-lg border border-slate-100 bg-slate-50 p-3" data-testid="note">
                                <p class="whitespace-pre-wrap break-words text-sm text-slate-900">{n.body.clone()}</p>
                                <div class="mt-1 flex items-center justify-between text-xs text-slate-600">
                                    <span>{format!("{} · {}", n.author_name.clone().unwrap_or_else(|| "Former member".into()), when(n.created_at))}</span>
                                    <Confirm action=DeleteNote::PATH label="Delete" question="Delete this note for good?".to_string()>
                                        <input type="hidden" name="company_id" value=company_id/>
                                        <input type="hidden" name="lead_id" value=id/>
                                        <input type="hidden" name="note_id" value=n.id/>
                                    </Confirm>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="appointments">
                    <h2 class="text-lg font-semibold">"Appointments"</h2>
                    <ul class="space-y-2">
                        {page.appointments.clone().into_iter().map(|a| view! {
                            <li class="rounded-lg border border-slate-100 bg-slate-50 p-3 text-sm" data-testid="appointment">
                                <p class="font-medium">{when(a.starts_at)}</p>
                                <p class="text-slate-700">{[a.location.clone(), a.notes.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    <FormError outcome=book_outcome fields=&["starts_at", "ends_at"]/>
                    <ActionForm action=book attr:class="grid gap-2 sm:grid-cols-2">
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="lead_id" value=id/>
                        <label class="text-sm">
                            <span class="text-slate-800">{format!("Starts ({})", crate::components::zone::reader_zone().as_str())}</span>
                            <input type="datetime-local" name="starts_at" required value=typed(book_outcome, "starts_at") class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"/>
                            {move || error_of(book_outcome)().and_then(|e| e.field("starts_at").or(e.field("ends_at"))).map(|m| view! { <span class="text-red-700" role="alert">{m}</span> })}
                        </label>
                        <label class="text-sm">
                            <span class="text-slate-800">"Length"</span>
                            <select name="duration_minutes" class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5">
                                <option value="15">"15 minutes"</option>
                                <option value="30" selected>"30 minutes"</option>
                                <option value="60">"1 hour"</option>
                                <option value="120">"2 hours"</option>
                            </select>
                        </label>
                        <label class="text-sm">
                            <span class="text-slate-800">"Location"</span>
                            <input name="location" value=typed(book_outcome, "location") placeholder="Office, phone, video link" class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"/>
                        </label>
                        <label class="text-sm">
                            <span class="text-slate-800">"Notes"</span>
                            <input name="notes" value=typed(book_outcome, "notes") class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"/>
                        </label>
                        <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 sm:col-span-2">"Book appointment"</button>
                    </ActionForm>
                </section>
            </div>
            <History events=page.history.clone() total=page.history_total catalog=names/>
        </div>
    }
}

/// The lead's stage, changed where it is shown: the pick is saved at once once
/// the page's code runs, and by the Move button before that.
#[island]
fn StagePicker(
    company_id: i64,
    lead_id: i64,
    stage_id: i64,
    version: i64,
    stages: Vec<(i64, String)>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let current = RwSignal::new(stage_id);
    let seen = RwSignal::new(version);
    let status = RwSignal::new(None::<(bool, String)>);
    let names = StoredValue::new(stages.clone());
    view! {
        <form method="post" action=MoveLead::PATH class="flex items-center gap-2">
            <input type="hidden" name="company_id" value=company_id/>
            <input type="hidden" name="lead_id" value=lead_id/>
            <input type="hidden" name="version" value=version/>
            <label for="lead-stage" class="text-sm font-medium text-slate-800">"Stage"</label>
            <select id="lead-stage" name="stage_id" data-testid="lead-stage"
                class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                prop:value=move || current.get().to_string()
                on:change=move |ev| {
                    let Ok(to) = event_target_value(&ev).parse::<i64>() else { return };
                    let name = names.with_value(|n| n.iter().find(|(id, _)| *id == to).map(|(_, n)| n.clone())).unwrap_or_default();
                    status.set(Some((true, "Saving…".into())));
                    leptos::task::spawn_local(async move {
                        match move_lead(company_id, lead_id, to, Some(seen.get_untracked())).await {
                            Ok(saved) => {
                                seen.set(saved.version);
                                current.set(to);
                                status.set(Some((true, format!("Moved to {name}."))));
                            }
                            Err(e) => {
                                current.notify();
                                status.set(Some((false, format!("Not moved: {e}"))));
                            }
                        }
                    });
                }>
                {stages.into_iter().map(|(id, name)| view! { <option value=id selected=id == stage_id>{name}</option> }).collect_view()}
            </select>
            <button type="submit" class=move || if hydrated.get() { "hidden" } else { "rounded-md border border-slate-300 px-2 py-1 text-sm" }>"Move"</button>
            <span role="status" data-testid="stage-status" class=move || match status.get() { Some((false, _)) => "text-sm text-red-700", _ => "text-sm text-slate-700" }>
                {move || status.get().map(|(_, m)| m)}
            </span>
        </form>
    }
}

/// One field of the lead; an empty value shows as a dash.
/// The merges into this lead that can still be undone, and what just happened.
#[component]
fn Merges(company_id: i64, lead_id: i64, merges: Vec<Merge>, manages: bool) -> impl IntoView {
    let query = use_query_map();
    let said = |key: &str| query.read_untracked().get(key).is_some();
    let status = if said("unmerged") {
        Some("Merge undone: the merged leads are back, with their notes and appointments.")
    } else if said("merged") {
        Some("Leads merged.")
    } else {
        None
    };
    view! {
        {status.map(|s| view! { <p class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" role="status" data-testid="merge-status">{s}</p> })}
        {merges.into_iter().map(|m| {
            let n = m.merged_lead_ids.len();
            let merge_id = m.id.unwrap_or_default();
            view! {
                <div class="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-800" data-testid="merge-banner">
                    <span>{format!("{n} {} merged into this one on {}; it can be undone until {}.", if n == 1 { "lead was" } else { "leads were" }, when(m.created_at), on_day(m.undo_until))}</span>
                    {manages.then(|| view! {
                        <form method="post" action=UndoMerge::PATH>
                            <input type="hidden" name="company_id" value=company_id/>
                            <input type="hidden" name="lead_id" value=lead_id/>
                            <input type="hidden" name="merge_id" value=merge_id/>
                            <button type="submit" class="font-medium text-indigo-800 underline" data-testid="undo-merge">"Undo merge"</button>
                        </form>
                    })}
                </div>
            }
        }).collect_view()}
    }
}

fn row(label: impl Into<String>, value: String) -> impl IntoView {
    let value = if value.is_empty() {
        "—".to_string()
    } else {
        value
    };
    view! {
        <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
            <dt class="text-sm text-slate-600">{label.into()}</dt>
            <dd class="text-sm text-slate-900 sm:col-span-2">{value}</dd>
        </div>
    }
}
