//! Campaigns: name, source, status and dates; managers add and edit them.

use super::{load_failed, read_only, settings_page, Panel, BUTTON, INPUT};
use crate::components::form::{error_of, typed, FormError, Outcome};
use crate::rpc::board::{catalog, Choices};
use crate::rpc::company::my_standing;
use crate::rpc::process::SaveCampaign;
use leadsy::campaigns::{Campaign, STATUSES};
use leptos::prelude::*;

#[component]
pub fn CampaignsSettings() -> impl IntoView {
    settings_page("campaigns", |company_id| {
        view! { <Campaigns company_id/> }.into_any()
    })
}

#[component]
fn Campaigns(company_id: i64) -> impl IntoView {
    let save = ServerAction::<SaveCampaign>::new();
    let choices = Resource::new(move || save.version().get(), move |_| catalog(company_id));
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (choices.await, me.await) {
                    (Err(e), _) | (_, Err(e)) => load_failed(e),
                    (Ok(choices), Ok(me)) => view! { <CampaignList company_id choices manages=me.manages() save/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CampaignList(
    company_id: i64,
    choices: Choices,
    manages: bool,
    save: ServerAction<SaveCampaign>,
) -> impl IntoView {
    let outcome: Outcome = save.value().into();
    let sources = choices.sources.clone();
    let source_name = move |id: Option<i64>| {
        id.and_then(|id| sources.iter().find(|s| s.id == id))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "No source".into())
    };
    let dates = |c: &Campaign| match (&c.starts_on, &c.ends_on) {
        (Some(s), Some(e)) => format!("{} to {}", s.as_str(), e.as_str()),
        (Some(s), None) => format!("from {}", s.as_str()),
        (None, Some(e)) => format!("until {}", e.as_str()),
        (None, None) => "no dates".into(),
    };
    let campaigns = choices.campaigns.clone();
    let for_new = choices.clone();
    view! {
        <Panel title="Campaigns" note="Group leads by the campaign that brought them; questions can belong to one.">
            <FormError outcome fields=&["name", "source_id", "status", "starts_on", "ends_on"]/>
            {(!manages).then(|| read_only("managers and admins"))}
            {if campaigns.is_empty() {
                view! { <p class="text-sm text-slate-600">"No campaigns yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100" data-testid="campaigns">
                        {campaigns.into_iter().map(|c| view! {
                            <li class="py-3" data-testid="campaign">
                                <div class="flex flex-wrap items-center gap-2">
                                    <span class="font-medium">{c.name.clone()}</span>
                                    <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{c.status.clone()}</span>
                                    <span class="text-sm text-slate-600">{format!("{} · {}", source_name(c.source_id), dates(&c))}</span>
                                </div>
                                {manages.then(|| view! {
                                    <details class="mt-2">
                                        <summary class="cursor-pointer text-sm text-indigo-700">"Edit"</summary>
                                        <CampaignForm company_id campaign=Some(c.clone()) choices=choices.clone() save outcome/>
                                    </details>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </Panel>
        {manages.then(|| view! {
            <Panel title="New campaign">
                <CampaignForm company_id campaign=None choices=for_new save outcome/>
            </Panel>
        })}
    }
}

/// The campaign's fields, empty for a new one.
#[component]
fn CampaignForm(
    company_id: i64,
    campaign: Option<Campaign>,
    choices: Choices,
    save: ServerAction<SaveCampaign>,
    outcome: Outcome,
) -> impl IntoView {
    let c = campaign.clone();
    let editing = c.as_ref().map(|c| c.id);
    let field = move |key: &'static str| {
        move || {
            error_of(outcome)()
                .and_then(|e| e.field(key))
                .filter(|_| editing.is_none())
        }
    };
    let day = |d: Option<&leadsy::time::Day>| d.map(|d| d.as_str().to_string()).unwrap_or_default();
    let status = c
        .as_ref()
        .map(|c| c.status.clone())
        .unwrap_or_else(|| "active".into());
    // The new-campaign form comes back as typed when it was refused.
    let echo = move |name: &str| editing.is_none().then(|| typed(outcome, name)).flatten();
    let source = c.as_ref().and_then(|c| c.source_id);
    view! {
        <ActionForm action=save attr:class="mt-2 grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="company_id" value=company_id/>
            {editing.map(|id| view! { <input type="hidden" name="campaign_id" value=id/> })}
            <label class="block text-sm sm:col-span-2">
                <span class="font-medium text-slate-700">"Name"</span>
                <input name="form[name]" required value=echo("form[name]").or(c.as_ref().map(|c| c.name.clone())) class=INPUT/>
                {move || field("name")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Name "{m}</span> })}
            </label>
            <label class="block text-sm">
                <span class="font-medium text-slate-700">"Source"</span>
                <select name="form[source_id]" class=INPUT>
                    <option value="">"No source"</option>
                    {choices.sources.iter().map(|s| view! { <option value=s.id selected=source == Some(s.id)>{s.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="block text-sm">
                <span class="font-medium text-slate-700">"Status"</span>
                <select name="form[status]" class=INPUT>
                    {STATUSES.iter().map(|s| view! { <option value=*s selected=status == *s>{*s}</option> }).collect_view()}
                </select>
            </label>
            <label class="block text-sm">
                <span class="font-medium text-slate-700">"Starts on"</span>
                <input type="date" name="form[starts_on]" value=echo("form[starts_on]").unwrap_or_else(|| day(c.as_ref().and_then(|c| c.starts_on.as_ref()))) class=INPUT/>
                {move || field("starts_on")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"Start "{m}</span> })}
            </label>
            <label class="block text-sm">
                <span class="font-medium text-slate-700">"Ends on"</span>
                <input type="date" name="form[ends_on]" value=echo("form[ends_on]").unwrap_or_else(|| day(c.as_ref().and_then(|c| c.ends_on.as_ref()))) class=INPUT/>
                {move || field("ends_on")().map(|m| view! { <span class="mt-1 block text-red-700" role="alert">"End "{m}</span> })}
            </label>
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON>{if editing.is_some() { "Save campaign" } else { "Add campaign" }}</button>
            </div>
        </ActionForm>
    }
}
