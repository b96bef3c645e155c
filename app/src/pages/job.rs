//! A job's page: a bulk change or a large export running in the background, its
//! progress (the page reloads itself until the job ends), and for an export, the
//! file to download once it is ready.

use super::board::member_page;
use crate::components::panel::{load_failed, Panel};
use crate::rpc::bulk::job_status;
use leadsy::jobs::{Job, JobKind};
use leadsy::numbers::grouped;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JobPage() -> impl IntoView {
    member_page(false, |company_id| {
        view! { <JobView company_id/> }.into_any()
    })
}

#[component]
fn JobView(company_id: i64) -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let job = Resource::new(move || id, move |id| job_status(company_id, id));
    view! {
        <div class="space-y-6">
            <div>
                <a href="/board" class="text-sm text-indigo-800 hover:underline">"← Leads"</a>
                <h1 class="text-2xl font-semibold">"Working on your leads"</h1>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match job.await {
                        Err(e) => load_failed(e),
                        Ok(job) => view! { <JobWatch job/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The job as it stands; while it runs the page loads itself again every two
/// seconds, which needs no script and shows the same on any browser.
#[component]
fn JobWatch(job: Job) -> impl IntoView {
    let running = !job.is_finished();
    view! {
        {running.then(|| view! { <leptos_meta::Meta http_equiv="refresh" content="2"/> })}
        <Progress job/>
    }
}

fn title(job: &Job) -> &'static str {
    match job.kind {
        JobKind::LeadsBulk => "Changing leads",
        JobKind::LeadsExport => "Exporting leads",
    }
}

fn status_label(job: &Job) -> String {
    let total = job.total.map(grouped).unwrap_or_else(|| "…".into());
    match (job.status.as_str(), job.kind) {
        ("queued", _) => "Waiting to start".into(),
        ("processing", _) => format!("{} of {total} leads", grouped(job.processed)),
        ("completed", JobKind::LeadsBulk) => {
            format!("Done: {} leads changed", grouped(job.changed))
        }
        ("completed", JobKind::LeadsExport) => format!("Ready: {} leads", grouped(job.changed)),
        _ => "Failed".into(),
    }
}

#[component]
fn Progress(job: Job) -> impl IntoView {
    let percent = job.percent();
    let bar = if job.status == "failed" {
        "bg-red-500"
    } else {
        "bg-indigo-600"
    };
    let download = (job.status == "completed")
        .then(|| job.file_url.clone())
        .flatten();
    let expired =
        job.kind == JobKind::LeadsExport && job.status == "completed" && job.file_url.is_none();
    view! {
        <Panel title=title(&job)>
            <div data-testid="job" data-status=job.status.clone()>
                <div class="flex justify-between text-sm">
                    <span class="text-slate-600" data-testid="job-status" aria-live="polite">{status_label(&job)}</span>
                    <span class="font-medium">{format!("{percent}%")}</span>
                </div>
                <div class="mt-2 h-3 rounded-full bg-slate-200" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent data-testid="job-progress">
                    <div class=format!("h-3 rounded-full transition-all {bar}") style=format!("width: {percent}%")></div>
                </div>
                {job.failure.clone().map(|f| view! {
                    <p class="mt-3 text-sm text-red-700" role="alert">{format!("{f}. What was done before stays done.")}</p>
                })}
                <div class="mt-4 flex flex-wrap gap-3">
                    {download.map(|href| view! {
                        <a href=href download class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700" data-testid="job-download">"Download the CSV"</a>
                    })}
                    {expired.then(|| view! { <p class="text-sm text-slate-600">"This file has been deleted since; export the leads again."</p> })}
                    {job.is_finished().then(|| view! {
                        <a href="/board" class="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">"Back to the leads"</a>
                    })}
                </div>
                {(!job.is_finished()).then(|| view! {
                    <p class="mt-3 text-xs text-slate-600">"You can leave this page: the work goes on, and this page shows where it is when you come back."</p>
                })}
            </div>
        </Panel>
    }
}
