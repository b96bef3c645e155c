//! Where a member lands, after onboarding and at every login: the board. An admin
//! whose company has neither sources nor imported leads yet gets a short list of
//! what to set up first instead, each item a link.

use crate::components::frame::Frame;
use crate::components::guard::{Guard, Need};
use crate::components::panel::load_failed;
use crate::rpc::company::getting_started;
use leadsy::companies::Setup;
use leadsy::onboarding::Progress;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    view! { <Guard need=Need::Member view=|p| view! { <Landing progress=p.expect("a member")/> }.into_any()/> }
}

#[component]
fn Landing(progress: Progress) -> impl IntoView {
    let Some(company) = progress.company.clone().filter(|_| progress.company_admin) else {
        return view! { <Redirect path="/board"/> }.into_any();
    };
    let setup = Resource::new(move || company.id, getting_started);
    let user = progress.user;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let user = user.clone();
                Suspend::new(async move {
                    match setup.await {
                        Ok(s) if s.started() => view! { <Redirect path="/board"/> }.into_any(),
                        Ok(s) => view! { <Frame user=user.clone()><GettingStarted first_name=user.first_name.clone() setup=s/></Frame> }.into_any(),
                        Err(e) => view! { <Frame user=user.clone()>{load_failed(e)}</Frame> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn GettingStarted(first_name: String, setup: Setup) -> impl IntoView {
    let items = [
        (
            "/settings/sources",
            "Add where your leads come from",
            "Sources route new leads to the right reps.",
            setup.sources,
        ),
        (
            "/imports",
            "Import the leads you already have",
            "A CSV file from your spreadsheet or old CRM.",
            setup.imported,
        ),
        (
            "/settings/invitations",
            "Invite your team",
            "Reps see and work the leads assigned to them.",
            setup.team,
        ),
        (
            "/settings/questions",
            "Choose what reps ask each lead",
            "Budget, timing, anything you qualify leads by.",
            setup.questions,
        ),
        (
            "/board",
            "Open the board",
            "Add a lead by hand and move it through the stages.",
            false,
        ),
    ];
    view! {
        <section class="mx-auto max-w-2xl space-y-4" data-testid="getting-started">
            <div>
                <h1 class="text-2xl font-semibold">{format!("Welcome, {first_name}")}</h1>
                <p class="text-slate-700">"A few steps and your team can work its leads in Leadsy."</p>
            </div>
            <ol class="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
                {items.into_iter().map(|(href, title, note, done)| view! {
                    <li>
                        <a href=href class="flex items-start gap-3 px-4 py-3 hover:bg-slate-50">
                            <span class=if done { "mt-0.5 inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-xs text-white" } else { "mt-0.5 inline-flex h-5 w-5 shrink-0 rounded-full border-2 border-slate-400" }
                                aria-hidden="true">{done.then_some("✓")}</span>
                            <span>
                                <span class="block font-medium text-indigo-800">{title}{done.then_some(" (done)")}</span>
                                <span class="block text-sm text-slate-700">{note}</span>
                            </span>
                        </a>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
