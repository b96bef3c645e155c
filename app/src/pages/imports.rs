//! Importing leads: the template, the upload, the running import's progress (the
//! page polls it until it ends), its results with the failed rows to download, and
//! the history of every file.

use super::board::member_page;
use crate::components::form::posted_error;
use crate::components::panel::{load_failed, Panel, BUTTON};
use crate::components::zone::when;
use crate::rpc::company::my_standing;
use crate::rpc::imports::{import_history, import_status, UploadImport};
use leadsy::imports::ImportFile;
use leadsy::numbers::grouped;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use std::time::Duration;

#[component]
pub fn ImportsPage() -> impl IntoView {
    member_page(false, |company_id| {
        view! { <Imports company_id/> }.into_any()
    })
}

/// Where a company's import files are read through the API (the session's cookie
/// signs the request).
fn api(company_id: i64, rest: &str) -> String {
    format!("/api/v1/companies/{company_id}/imports{rest}")
}

#[component]
fn Imports(company_id: i64) -> impl IntoView {
    let query = use_query_map();
    let current = query
        .read_untracked()
        .get("import")
        .and_then(|v| v.parse::<i64>().ok());
    let status = Resource::new(
        move || current,
        move |id| async move {
            match id {
                Some(id) => import_status(company_id, id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let history = Resource::new(move || company_id, import_history);
    let me = Resource::new(move || company_id, my_standing);
    let upload_error = posted_error::<UploadImport>();
    view! {
        <div class="space-y-6">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <div>
                    <a href="/board" class="text-sm text-indigo-800 hover:underline">"← Board"</a>
                    <h1 class="text-2xl font-semibold">"Import leads"</h1>
                </div>
                <a href=api(company_id, "/template") download class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50" data-testid="template">
                    "Download the template"
                </a>
            </div>
            <Suspense fallback=|| ()>
                {move || {
                    let upload_error = upload_error.clone();
                    Suspend::new(async move {
                        match me.await {
                            Err(e) => load_failed(e),
                            Ok(me) if !me.manages() => view! {
                                <Panel title="Upload a file">
                                    <p class="text-sm text-slate-700" data-testid="read-only">"Managers and admins import leads."</p>
                                </Panel>
                            }.into_any(),
                            Ok(_) => view! {
                                <Panel title="Upload a file" note="A CSV with a header row, like the template: UTF-8, comma or semicolon separated. Leads already in Leadsy (same email or phone) are skipped as duplicates; new ones are routed like any lead.">
                                    <form method="post" enctype="multipart/form-data" action={<UploadImport as ServerFn>::PATH} class="flex flex-wrap items-center gap-3">
                                        <input type="hidden" name="company_id" value=company_id/>
                                        <input type="file" name="file" accept=".csv,text/csv" required class="min-w-0 max-w-full text-sm" aria-label="CSV file" data-testid="import-file"/>
                                        <button type="submit" class=BUTTON>"Import"</button>
                                    </form>
                                    {upload_error.map(|e| view! { <p class="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="upload-error">{e.to_string()}</p> })}
                                </Panel>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match (status.await, history.await) {
                        (Err(e), _) | (_, Err(e)) => load_failed(e),
                        (Ok(import), Ok(list)) => view! {
                            {import.map(|import| view! { <ImportWatch company_id import/> })}
                            <History company_id list/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The import being watched. While it runs the island asks for its progress
/// twice a second; once it ends the page loads again, so that the history (drawn
/// on the server, on the reader's clock) shows how it ended.
#[island]
fn ImportWatch(company_id: i64, import: ImportFile) -> impl IntoView {
    let running_at_load = !import.is_finished();
    let import = RwSignal::new(import);
    Effect::new(move |_| {
        if !running_at_load {
            return;
        }
        let every = set_interval_with_handle(
            move || {
                let Some(id) = import
                    .try_get_untracked()
                    .filter(|i| !i.is_finished())
                    .map(|i| i.id)
                else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    let Ok(now) = import_status(company_id, id).await else {
                        return;
                    };
                    let ended = now.is_finished();
                    import.try_set(now);
                    if ended {
                        let _ = window().location().reload();
                    }
                });
            },
            Duration::from_millis(500),
        );
        if let Ok(handle) = every {
            on_cleanup(move || handle.clear());
        }
    });
    move || view! { <Progress company_id import=import.get()/> }
}

fn status_label(i: &ImportFile) -> String {
    match (i.status.as_str(), i.total_rows) {
        ("queued", _) => "Waiting to start".into(),
        ("processing", Some(total)) => format!(
            "Importing: {} of {} rows",
            grouped(i.processed_rows),
            grouped(total)
        ),
        ("processing", None) => "Counting the rows".into(),
        ("completed", _) => "Completed".into(),
        _ => "Failed".into(),
    }
}

#[component]
fn Progress(company_id: i64, import: ImportFile) -> impl IntoView {
    let i = import;
    let percent = i.percent();
    let bar = if i.status == "failed" {
        "bg-red-500"
    } else {
        "bg-indigo-600"
    };
    let failed_rows = i.failed_rows > 0;
    let csv = api(company_id, &format!("/{}/failed_rows", i.id));
    view! {
        <Panel title="This import">
            <div data-testid="import" data-status=i.status.clone()>
                <div class="flex justify-between text-sm">
                    <span class="font-medium">{i.filename.clone()}</span>
                    <span class="text-slate-600" data-testid="import-status">{status_label(&i)}</span>
                </div>
                <div class="mt-2 h-3 rounded-full bg-slate-200" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent data-testid="import-progress">
                    <div class=format!("h-3 rounded-full transition-all {bar}") style=format!("width: {percent}%")></div>
                </div>
                <dl class="mt-4 grid grid-cols-3 gap-3 text-center">
                    {[("Imported", i.imported_rows, "imported"), ("Duplicates skipped", i.duplicate_rows, "duplicates"), ("Failed", i.failed_rows, "failed")]
                        .into_iter()
                        .map(|(label, n, key)| view! {
                            <div class="rounded-lg bg-slate-50 p-3">
                                <dt class="text-xs text-slate-600">{label}</dt>
                                <dd class="text-xl font-semibold" data-testid=format!("count-{key}")>{grouped(n)}</dd>
                            </div>
                        })
                        .collect_view()}
                </dl>
                {i.failure.clone().map(|f| view! { <p class="mt-3 text-sm text-red-700" role="alert">{f}</p> })}
                {(!i.notes.is_empty()).then(|| view! {
                    <ul class="mt-3 list-disc pl-5 text-sm text-slate-600" data-testid="import-notes">
                        {i.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                    </ul>
                })}
                {failed_rows.then(|| view! {
                    <div class="mt-4 space-y-2">
                        <a href=csv download class="text-sm font-medium text-indigo-800 underline" data-testid="failed-rows">"Download the failed rows (CSV, with the reason for each)"</a>
                        <ul class="max-h-48 overflow-y-auto text-sm text-slate-700" tabindex="0" aria-label="Failed rows">
                            {i.errors.iter().map(|e| view! { <li>{format!("Row {}: {}", e.row, e.message)}</li> }).collect_view()}
                        </ul>
                    </div>
                })}
            </div>
        </Panel>
    }
}

#[component]
fn History(company_id: i64, list: Vec<ImportFile>) -> impl IntoView {
    view! {
        <Panel title="History">
            {if list.is_empty() {
                view! { <p class="text-sm text-slate-600">"No imports yet."</p> }.into_any()
            } else {
                view! {
                    <div class="-mx-2 overflow-x-auto px-2">
                    <table class="w-full min-w-[36rem] text-left text-sm" data-testid="history">
                        <thead class="text-xs text-slate-600">
                            <tr>
                                <th class="py-2">"File"</th>
                                <th>"Status"</th>
                                <th class="text-right">"Rows"</th>
                                <th class="text-right">"Imported"</th>
                                <th class="text-right">"Duplicates"</th>
                                <th class="text-right">"Failed"</th>
                                <th class="text-right">"Uploaded"</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {list.into_iter().map(|i| view! {
                                <tr data-testid="history-row">
                                    <td class="py-2"><a href=format!("/imports?import={}", i.id) class="text-indigo-800 underline">{i.filename.clone()}</a></td>
                                    <td>{i.status.clone()}</td>
                                    <td class="text-right">{i.total_rows.map(grouped).unwrap_or_else(|| "…".into())}</td>
                                    <td class="text-right">{grouped(i.imported_rows)}</td>
                                    <td class="text-right">{grouped(i.duplicate_rows)}</td>
                                    <td class="text-right">{if i.failed_rows > 0 {
                                        view! { <a href=api(company_id, &format!("/{}/failed_rows", i.id)) download class="text-red-700 hover:underline">{grouped(i.failed_rows)}</a> }.into_any()
                                    } else {
                                        view! { <span>"0"</span> }.into_any()
                                    }}</td>
                                    <td class="text-right text-slate-600">{when(i.created_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }
                .into_any()
            }}
        </Panel>
    }
}
