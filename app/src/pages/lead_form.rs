//! New lead and edit lead: one form, posted as a plain form before the WASM loads.

use super::board::member_page;
use crate::components::answers::AnswerInputs;
use crate::components::form::{typed, Field, FormError, Outcome, Submit};
use crate::components::panel::load_failed;
use crate::rpc::board::{catalog, Choices};
use crate::rpc::leads::{lead_page, SaveLead};
use leadsy::leads::Lead;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewLeadPage() -> impl IntoView {
    member_page(false, |company_id| {
        let catalog = Resource::new(move || company_id, catalog);
        view! {
            <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Err(e) => load_failed(e),
                        Ok(cat) => view! { <LeadFormView company_id catalog=cat lead=None/> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    })
}

#[component]
pub fn EditLeadPage() -> impl IntoView {
    member_page(false, |company_id| {
        let params = use_params_map();
        let id = move || {
            params
                .read()
                .get("id")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0)
        };
        let lead = Resource::new(id, move |id| lead_page(company_id, id));
        let catalog = Resource::new(move || company_id, catalog);
        view! {
            <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (lead, cat) = (lead.await, catalog.await);
                    match lead.and_then(|l| cat.map(|c| (l, c))) {
                        Err(e) => load_failed(e),
                        Ok((page, cat)) => view! { <LeadFormView company_id catalog=cat lead=Some(page.detail.lead)/> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    })
}

#[component]
fn LeadFormView(company_id: i64, catalog: Choices, lead: Option<Lead>) -> impl IntoView {
    let save = ServerAction::<SaveLead>::new();
    let outcome: Outcome = save.value().into();
    let editing = lead.clone();
    let l = lead.unwrap_or_else(|| Lead {
        id: 0,
        company_id,
        first_name: String::new(),
        last_name: String::new(),
        company_name: String::new(),
        email: None,
        phone: None,
        postal_code: None,
        stage_id: catalog.stages.first().map(|s| s.id).unwrap_or_default(),
        source_id: None,
        campaign_id: None,
        cycle_id: None,
        assigned_user_access_id: None,
        value_cents: 0,
        answers: Default::default(),
        version: 0,
        created_at: leadsy::time::Timestamp(0),
        updated_at: leadsy::time::Timestamp(0),
        source_name: None,
        campaign_name: None,
        assignee_name: None,
    });
    let choice = move |name: &'static str,
                       label: &'static str,
                       chosen: Option<i64>,
                       blank: Option<&'static str>,
                       options: Vec<(i64, String)>| {
        let picked = typed(outcome, &format!("form[{name}]"));
        view! {
            <label class="block text-sm" for=format!("field-{name}")>
                <span class="font-medium text-slate-700">{label}</span>
                <select id=format!("field-{name}") name=format!("form[{name}]") class="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2">
                    {blank.map(|b| view! { <option value="">{b}</option> })}
                    {options.into_iter().map(|(id, text)| view! { <option value=id selected=picked.as_deref().map_or(chosen == Some(id), |p| p == id.to_string())>{text}</option> }).collect_view()}
                </select>
                {move || crate::components::form::error_of(outcome)().and_then(|e| e.field(name)).map(|m| view! { <span class="text-red-700" role="alert">{label}" "{m}</span> })}
            </label>
        }
    };
    let value = if l.value_cents == 0 {
        String::new()
    } else {
        format!("{}.{:02}", l.value_cents / 100, l.value_cents % 100)
    };
    let title = if editing.is_some() {
        "Edit lead"
    } else {
        "New lead"
    };
    view! {
        <section class="mx-auto max-w-2xl rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-8">
            <h1 class="mb-6 text-2xl font-semibold">{title}</h1>
            <FormError outcome fields=&["first_name", "last_name", "company_name", "email", "phone", "postal_code", "value", "stage_id", "source_id", "campaign_id", "assigned_user_access_id"]/>
            <ActionForm action=save attr:class="grid gap-4 sm:grid-cols-2" attr:data-testid="lead-form">
                <input type="hidden" name="company_id" value=company_id/>
                {editing.as_ref().map(|e| view! { <input type="hidden" name="lead_id" value=e.id/><input type="hidden" name="version" value=e.version/> })}
                <Field label="First name" name="form[first_name]" key="first_name" value=l.first_name.clone() outcome/>
                <Field label="Last name" name="form[last_name]" key="last_name" value=l.last_name.clone() outcome/>
                <Field label="Email" name="form[email]" key="email" kind="email" value=l.email.clone().unwrap_or_default() outcome/>
                <Field label="Phone" name="form[phone]" key="phone" kind="tel" value=l.phone.clone().unwrap_or_default() outcome/>
                <Field label="Company" name="form[company_name]" key="company_name" value=l.company_name.clone() outcome/>
                <Field label="Postal code" name="form[postal_code]" key="postal_code" value=l.postal_code.clone().unwrap_or_default() outcome/>
                <Field label="Value ($)" name="form[value]" key="value" value=value outcome/>
                {choice("stage_id", "Stage", Some(l.stage_id), None, catalog.stages.iter().map(|s| (s.id, s.name.clone())).collect())}
                {choice("source_id", "Source", l.source_id, Some("None"), catalog.sources.iter().map(|s| (s.id, s.name.clone())).collect())}
                {choice("campaign_id", "Campaign", l.campaign_id, Some("None"), catalog.campaigns.iter().map(|c| (c.id, c.name.clone())).collect())}
                {catalog.manages.then(|| choice("assigned_user_access_id", "Assigned to", l.assigned_user_access_id,
                    Some(if editing.is_some() { "Keep as it is" } else { "Route automatically" }),
                    catalog.members.iter().map(|m| (m.user_access_id, m.user.display_name())).collect()))}
                {(!catalog.questions.is_empty()).then(|| view! {
                    <fieldset class="grid gap-4 border-t border-slate-200 pt-4 sm:col-span-2 sm:grid-cols-2">
                        <legend class="text-sm font-semibold text-slate-900">"Questions"</legend>
                        <AnswerInputs questions=catalog.questions.clone() answers=l.answers.clone() prefix="form[answers]" outcome/>
                    </fieldset>
                })}
                <div class="flex items-center gap-3 sm:col-span-2">
                    <div class="w-40"><Submit label="Save lead"/></div>
                    <a href=editing.as_ref().map(|e| format!("/leads/{}", e.id)).unwrap_or_else(|| "/board".into()) class="text-sm text-slate-600 hover:underline">"Cancel"</a>
                </div>
            </ActionForm>
        </section>
    }
}
