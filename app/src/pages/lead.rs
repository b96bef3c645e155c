//! A lead's page: every field, its answers, the notes (add, delete) and the
//! appointments (book one).

use super::board::member_page;
use crate::components::form::{error_of, FormError};
use crate::rpc::board::catalog;
use crate::rpc::leads::{lead_page, AddNote, BookAppointment, DeleteNote, LeadRecord};
use leadsy::leads::format_amount;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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
    let data = Resource::new(
        move || {
            (
                lead_id.get(),
                add_note.version().get(),
                delete_note.version().get(),
                book.version().get(),
            )
        },
        move |(id, ..)| lead_page(company_id, id),
    );
    let catalog = Resource::new(move || company_id, catalog);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (page, cat) = (data.await, catalog.await);
                match page.and_then(|p| cat.map(|c| (p, c))) {
                    Err(e) => view! {
                        <div class="space-y-2">
                            <p class="rounded-md bg-red-50 p-4 text-red-700" role="alert">{e.to_string()}</p>
                            <a href="/board" class="text-indigo-700 hover:underline">"Back to the board"</a>
                        </div>
                    }.into_any(),
                    Ok((page, cat)) => {
                        let stage = cat.stages.iter().find(|s| s.id == page.detail.lead.stage_id).map(|s| s.name.clone()).unwrap_or_default();
                        let cycle = page.detail.lead.cycle_id.and_then(|id| cat.cycles.iter().find(|c| c.id == id)).map(|c| c.name.clone());
                        view! { <Details company_id page stage cycle add_note delete_note book/> }.into_any()
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
    stage: String,
    cycle: Option<String>,
    add_note: ServerAction<AddNote>,
    delete_note: ServerAction<DeleteNote>,
    book: ServerAction<BookAppointment>,
) -> impl IntoView {
    let lead = page.detail.lead.clone();
    let id = lead.id;
    let note_outcome: crate::components::form::Outcome = add_note.value().into();
    let delete_outcome: crate::components::form::Outcome = delete_note.value().into();
    let book_outcome: crate::components::form::Outcome = book.value().into();
    view! {
        <div class="space-y-6" data-testid="lead-detail">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div>
                    <a href="/board" class="text-sm text-indigo-700 hover:underline">"← Board"</a>
                    <h1 class="text-2xl font-semibold">{lead.full_name()}</h1>
                    <p class="text-slate-600">{lead.company_name.clone()}</p>
                </div>
                <a href=format!("/leads/{id}/edit") class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">"Edit"</a>
            </div>
            <section class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                <dl class="divide-y divide-slate-100">
                    {row("Stage", stage)}
                    {row("Email", lead.email.clone().unwrap_or_default())}
                    {row("Phone", lead.phone.clone().unwrap_or_default())}
                    {row("Postal code", lead.postal_code.clone().unwrap_or_default())}
                    {row("Value", format_amount(lead.value_cents))}
                    {row("Source", lead.source_name.clone().unwrap_or_default())}
                    {row("Campaign", lead.campaign_name.clone().unwrap_or_default())}
                    {row("Cycle", cycle.unwrap_or_default())}
                    {row("Assigned to", lead.assignee_name.clone().unwrap_or_else(|| "Unassigned".into()))}
                    {row("Created", lead.created_at.minute())}
                    {row("Updated", lead.updated_at.minute())}
                </dl>
                {(!lead.answers.is_empty()).then(|| view! {
                    <h2 class="mt-4 text-sm font-semibold text-slate-700">"Answers"</h2>
                    <dl class="divide-y divide-slate-100">
                        {lead.answers.iter().map(|(q, a)| {
                            let a = a.as_str().map(str::to_string).unwrap_or_else(|| a.to_string());
                            row(q.clone(), a)
                        }).collect_view()}
                    </dl>
                })}
            </section>
            <div class="grid gap-6 lg:grid-cols-2">
                <section class="space-y-3 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="notes">
                    <h2 class="text-lg font-semibold">"Notes"</h2>
                    <FormError outcome=note_outcome/>
                    <FormError outcome=delete_outcome/>
                    <ActionForm action=add_note>
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="lead_id" value=id/>
                        <label class="block">
                            <span class="sr-only">"New note"</span>
                            <textarea name="body" rows="3" required placeholder="What happened, what is next…"
                                class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" data-testid="note-body"></textarea>
                        </label>
                        {move || error_of(note_outcome)().and_then(|e| e.field("body")).map(|m| view! { <p class="text-sm text-red-600" role="alert">"Note "{m}</p> })}
                        <button type="submit" class="mt-2 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">"Add note"</button>
                    </ActionForm>
                    <ul class="space-y-3">
                        {page.detail.notes.clone().into_iter().map(|n| view! {
                            <li class="rounded-lg border border-slate-100 bg-slate-50 p-3" data-testid="note">
                                <p class="whitespace-pre-wrap text-sm text-slate-800">{n.body.clone()}</p>
                                <div class="mt-1 flex items-center justify-between text-xs text-slate-500">
                                    <span>{format!("{} · {}", n.author_name.clone().unwrap_or_else(|| "Former member".into()), n.created_at.minute())}</span>
                                    <ActionForm action=delete_note>
                                        <input type="hidden" name="company_id" value=company_id/>
                                        <input type="hidden" name="lead_id" value=id/>
                                        <input type="hidden" name="note_id" value=n.id/>
                                        <button type="submit" class="text-red-700 hover:underline" aria-label="Delete note">"Delete"</button>
                                    </ActionForm>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class="space-y-3 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="appointments">
                    <h2 class="text-lg font-semibold">"Appointments"</h2>
                    <ul class="space-y-2">
                        {page.appointments.clone().into_iter().map(|a| view! {
                            <li class="rounded-lg border border-slate-100 bg-slate-50 p-3 text-sm" data-testid="appointment">
                                <p class="font-medium">{a.starts_at.minute()}</p>
                                <p class="text-slate-600">{[a.location.clone(), a.notes.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    <FormError outcome=book_outcome fields=&["starts_at", "ends_at"]/>
                    <ActionForm action=book attr:class="grid gap-2 sm:grid-cols-2">
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="lead_id" value=id/>
                        <label class="text-sm">
                            <span class="text-slate-700">"Starts (UTC)"</span>
                            <input type="datetime-local" name="starts_at" required class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"/>
                            {move || error_of(book_outcome)().and_then(|e| e.field("starts_at").or(e.field("ends_at"))).map(|m| view! { <span class="text-red-600" role="alert">{m}</span> })}
                        </label>
                        <label class="text-sm">
                            <span class="text-slate-700">"Length"</span>
                            <select name="duration_minutes" class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5">
                                <option value="15">"15 minutes"</option>
                                <option value="30" selected>"30 minutes"</option>
                                <option value="60">"1 hour"</option>
                                <option value="120">"2 hours"</option>
                            </select>
                        </label>
                        <label class="text-sm">
                            <span class="text-slate-700">"Location"</span>
                            <input name="location" placeholder="Office, phone, video link" class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"/>
                        </label>
                        <label class="text-sm">
                            <span class="text-slate-700">"Notes"</span>
                            <input name="notes" class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"/>
                        </label>
                        <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 sm:col-span-2">"Book appointment"</button>
                    </ActionForm>
                </section>
            </div>
        </div>
    }
}

/// One field of the lead; an empty value shows as a dash.
fn row(label: impl Into<String>, value: String) -> impl IntoView {
    let value = if value.is_empty() {
        "—".to_string()
    } else {
        value
    };
    view! {
        <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
            <dt class="text-sm text-slate-500">{label.into()}</dt>
            <dd class="text-sm text-slate-900 sm:col-span-2">{value}</dd>
        </div>
    }
}
