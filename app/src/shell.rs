//! The HTML shell and the route table.

use crate::pages::{
    account::*, api_docs::ApiDocsPage, appointments::AppointmentsPage, board::BoardPage,
    home::HomePage, imports::ImportsPage, invitation::InvitationPage, job::JobPage,
    lead::LeadDetailPage, lead_form::*, merge::MergePage, onboarding::*, security::*, settings::*,
    terms::ResignTermsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=format!("/pkg/{}.css", options.output_name)/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Guards decide on the server and answer with a real redirect, so pages wait for them.
    let ssr = SsrMode::Async;
    view! {
        <Title text="Leadsy"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=HomePage ssr=ssr.clone()/>
                <Route path=path!("/signup") view=SignUpPage ssr=ssr.clone()/>
                <Route path=path!("/login") view=LoginPage ssr=ssr.clone()/>
                <Route path=path!("/password/forgot") view=ForgotPasswordPage/>
                <Route path=path!("/password/reset") view=ResetPasswordPage/>
                <Route path=path!("/verify-email") view=VerifyEmailPage/>
                <Route path=path!("/account") view=AccountPage ssr=ssr.clone()/>
                <Route path=path!("/onboarding") view=OnboardingIndex ssr=ssr.clone()/>
                <Route path=path!("/onboarding/profile") view=ProfileStep ssr=ssr.clone()/>
                <Route path=path!("/onboarding/company") view=CompanyStep ssr=ssr.clone()/>
                <Route path=path!("/onboarding/terms") view=TermsStep ssr=ssr.clone()/>
                <Route path=path!("/onboarding/plan") view=PlanStep ssr=ssr.clone()/>
                <Route path=path!("/onboarding/team") view=TeamStep ssr=ssr.clone()/>
                <Route path=path!("/onboarding/finish") view=FinishStep ssr=ssr.clone()/>
                <Route path=path!("/terms") view=ResignTermsPage ssr=ssr.clone()/>
                <Route path=path!("/invitations/:code") view=InvitationPage ssr=ssr.clone()/>
                <Route path=path!("/board") view=BoardPage ssr=ssr.clone()/>
                <Route path=path!("/leads/new") view=NewLeadPage ssr=ssr.clone()/>
                <Route path=path!("/leads/merge") view=MergePage ssr=ssr.clone()/>
                <Route path=path!("/leads/:id") view=LeadDetailPage ssr=ssr.clone()/>
                <Route path=path!("/leads/:id/edit") view=EditLeadPage ssr=ssr.clone()/>
                <Route path=path!("/imports") view=ImportsPage ssr=ssr.clone()/>
                <Route path=path!("/jobs/:id") view=JobPage ssr=ssr.clone()/>
                <Route path=path!("/appointments") view=AppointmentsPage ssr=ssr.clone()/>
                <Route path=path!("/settings") view=SettingsIndex ssr=ssr.clone()/>
                <Route path=path!("/settings/company") view=CompanySettings ssr=ssr.clone()/>
                <Route path=path!("/settings/team") view=TeamSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/invitations") view=InvitationsSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/sources") view=SourcesSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/territories") view=TerritoriesSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/questions") view=QuestionsSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/campaigns") view=CampaignsSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/cycles") view=CyclesSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/plan") view=PlanSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/webhooks") view=WebhooksSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/webhooks/:id") view=WebhookLogSettings ssr=ssr.clone()/>
                <Route path=path!("/settings/audit") view=AuditSettings ssr=ssr.clone()/>
                <Route path=path!("/api-docs") view=ApiDocsPage ssr=ssr/>
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <main class="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 text-slate-800">
            <h1 class="text-3xl font-semibold">"Page not found"</h1>
            <a class="text-indigo-800 underline" href="/">"Back to Leadsy"</a>
        </main>
    }
}
