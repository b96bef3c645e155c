//! The terms signing screen: read the current version, tick, sign. Shown in the
//! wizard and again to every user when a newer version is published.

use crate::components::form::{FormError, Submit};
use crate::components::frame::{Card, Frame};
use crate::components::guard::{Guard, Need};
use crate::rpc::onboarding::SignTerms;
use leadsy::legal::LegalTerm;
use leptos::prelude::*;

#[component]
pub fn TermsForm(terms: LegalTerm) -> impl IntoView {
    let act = ServerAction::<SignTerms>::new();
    let outcome = act.value().into();
    let agree_error = move || {
        act.value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field("agree"))
    };
    view! {
        <FormError outcome fields=&["agree"]/>
        <article class="max-h-80 overflow-y-auto rounded-md border border-slate-200 bg-slate-50 p-4 text-sm leading-relaxed text-slate-800 focus:outline-none focus:ring-2 focus:ring-indigo-500" tabindex="0" aria-label="The terms of service" data-testid="terms-body">
            <h2 class="mb-1 font-semibold text-slate-900">{terms.title.clone()}</h2>
            <p class="mb-3 text-xs text-slate-600">{format!("Version {} · published {}", terms.version, terms.published_at.day())}</p>
            {terms.body.split("\n\n").map(|p| view! { <p class="mb-3">{p.to_string()}</p> }).collect_view()}
        </article>
        <ActionForm action=act attr:class="mt-4 space-y-4">
            <input type="hidden" name="legal_term_id" value=terms.id.to_string()/>
            <label class="flex items-start gap-2 text-sm text-slate-700">
                <input type="checkbox" name="agree" class="mt-1 h-4 w-4 rounded border-slate-300"/>
                <span>{format!("I have read and agree to the {} (version {}).", terms.title, terms.version)}</span>
            </label>
            {move || agree_error().map(|m| view! { <p class="text-sm text-red-700" role="alert">"Please tick the box: it "{m}</p> })}
            <Submit label="Sign and continue"/>
        </ActionForm>
    }
}

/// `/terms`: a newer version must be signed before going on.
#[component]
pub fn ResignTermsPage() -> impl IntoView {
    view! {
        <Guard need=Need::Resign view=|p| {
            let p = p.expect("signed in");
            view! {
                <Frame user=p.user.clone()>
                    <Card title="Our terms have changed".into() subtitle="Please read and sign the new version to go on using Leadsy.">
                        <TermsForm terms=p.current_terms.clone()/>
                    </Card>
                </Frame>
            }
            .into_any()
        }/>
    }
}
