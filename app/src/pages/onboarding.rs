//! The onboarding wizard: profile, company, terms, plan, team, finish. Each step is a
//! plain form (works without WASM) and the guard resumes the user where they were.

use crate::components::form::{error_of, posted_error, Field, FormError, Submit};
use crate::components::frame::{Avatar, Card, Frame};
use crate::components::guard::{Guard, Need};
use crate::components::wizard::WizardSteps;
use crate::pages::settings::invitations::InviteTeam;
use crate::pages::terms::TermsForm;
use crate::rpc::invitations::{my_invitations, AcceptOfferedInvitation};
use crate::rpc::onboarding::{
    plans, ChoosePlan, CreateCompany, FinishOnboarding, RemoveAvatar, SaveProfile, UploadAvatar,
};
use leadsy::onboarding::{Progress, Step};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::Redirect;

/// `/onboarding`: straight to the first step not done.
#[component]
pub fn OnboardingIndex() -> impl IntoView {
    view! {
        <Guard need=Need::Step(Step::Profile) view=|p| {
            let path = p.map(|p| p.step.path()).unwrap_or("/login");
            view! { <Redirect path=path/> }.into_any()
        }/>
    }
}

/// The frame of every step: progress on top, the step's card below.
fn step_page(
    step: Step,
    body: impl Fn(Progress) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Guard need=Need::Step(step) view=move |p| {
            let p = p.expect("signed in");
            let content = body(p.clone());
            view! {
                <Frame user=p.user.clone()>
                    <WizardSteps progress=p current=step/>
                    {content}
                </Frame>
            }
            .into_any()
        }/>
    }
}

#[component]
pub fn ProfileStep() -> impl IntoView {
    step_page(Step::Profile, |p| {
        view! { <ProfileForm progress=p/> }.into_any()
    })
}

#[component]
fn ProfileForm(progress: Progress) -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let remove = ServerAction::<RemoveAvatar>::new();
    let outcome = save.value().into();
    let upload_error = posted_error::<UploadAvatar>();
    let user = progress.user;
    let has_avatar = user.avatar_url.is_some();
    view! {
        <Card title="Tell us about you".into() subtitle="Your team sees your name and picture on leads you work.">
            <div class="mb-6 flex flex-wrap items-center gap-4">
                <Avatar url=user.avatar_url.clone() name=user.full_name() size="h-16 w-16"/>
                <div class="flex-1 space-y-2">
                    <form method="post" enctype="multipart/form-data" action={<UploadAvatar as ServerFn>::PATH} class="flex flex-wrap items-center gap-2">
                        <input type="file" name="file" accept="image/png,image/jpeg,image/webp" class="min-w-0 max-w-full text-sm" aria-label="Profile picture"/>
                        <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"Upload"</button>
                    </form>
                    <p class="text-xs text-slate-600">"PNG, JPEG or WebP, up to 2 MB."</p>
                    {upload_error.map(|e| view! { <p class="text-sm text-red-700" role="alert">{e.to_string()}</p> })}
                    <Show when=move || has_avatar>
                        <ActionForm action=remove>
                            <button type="submit" class="text-xs text-slate-600 hover:text-red-700">"Remove picture"</button>
                        </ActionForm>
                    </Show>
                </div>
            </div>
            <FormError outcome fields=&["first_name", "last_name"]/>
            <ActionForm action=save attr:class="space-y-4">
                <div class="grid grid-cols-2 gap-4">
                    <Field label="First name" name="first_name" value=user.first_name.clone() autocomplete="given-name" required=true outcome/>
                    <Field label="Last name" name="last_name" value=user.last_name.clone() autocomplete="family-name" required=true outcome/>
                </div>
                <Submit label="Continue"/>
            </ActionForm>
        </Card>
    }
}

#[component]
pub fn CompanyStep() -> impl IntoView {
    step_page(Step::Company, |p| {
        view! { <CompanyForm progress=p/> }.into_any()
    })
}

#[component]
fn CompanyForm(progress: Progress) -> impl IntoView {
    let act = ServerAction::<CreateCompany>::new();
    let outcome = act.value().into();
    match progress.company {
        Some(c) => view! {
            <Card title="Your company".into()>
                <p class="mb-4 text-slate-700">"You are part of "<strong data-testid="company-name">{c.name}</strong>"."</p>
                <a href=progress.step.path() class="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">"Continue"</a>
            </Card>
        }
        .into_any(),
        None => view! {
            <PendingInvitations/>
            <Card title="Create your company".into() subtitle="Your leads, team and settings live in it. You become its admin.">
                <FormError outcome fields=&["name"]/>
                <ActionForm action=act attr:class="space-y-4">
                    <Field label="Company name" name="name" autocomplete="organization" required=true outcome/>
                    <Submit label="Create company"/>
                </ActionForm>
            </Card>
        }
        .into_any(),
    }
}

/// Invitations waiting for the user's email: joining one replaces creating a company.
#[component]
fn PendingInvitations() -> impl IntoView {
    let pending = Resource::new(|| (), |_| my_invitations());
    let accept = ServerAction::<AcceptOfferedInvitation>::new();
    let outcome = accept.value().into();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = pending.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="mx-auto mb-6 w-full max-w-lg rounded-xl border border-indigo-200 bg-indigo-50 p-6" data-testid="pending-invitations">
                        <h2 class="font-semibold text-slate-900">"You are invited"</h2>
                        <p class="mb-3 text-sm text-slate-600">"Join your team instead of creating a company."</p>
                        <FormError outcome/>
                        <ul class="space-y-2">
                            {list.into_iter().map(|i| view! {
                                <li class="flex items-center justify-between gap-3 rounded-lg bg-white p-3">
                                    <span class="text-sm text-slate-800">{format!("{} as {}", i.company_name, i.access.name)}</span>
                                    <ActionForm action=accept>
                                        <input type="hidden" name="invitation_id" value=i.id/>
                                        <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
                                            {format!("Join {}", i.company_name)}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn TermsStep() -> impl IntoView {
    step_page(Step::Terms, |p| {
        let signed = p.terms_signed;
        let next = p.step.path();
        view! {
            <Card title="Terms of service".into() subtitle="Please read them; you sign them once per version.">
                {if signed {
                    view! {
                        <p class="mb-4 text-emerald-700">{format!("You signed version {}.", p.current_terms.version)}</p>
                        <a href=next class="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">"Continue"</a>
                    }
                    .into_any()
                } else {
                    view! { <TermsForm terms=p.current_terms.clone()/> }.into_any()
                }}
            </Card>
        }
        .into_any()
    })
}

#[component]
pub fn PlanStep() -> impl IntoView {
    step_page(Step::Plan, |p| view! { <PlanForm progress=p/> }.into_any())
}

#[component]
fn PlanForm(progress: Progress) -> impl IntoView {
    let act = ServerAction::<ChoosePlan>::new();
    let outcome = act.value().into();
    let options = Resource::new_blocking(|| (), |_| plans());
    let company = progress.company.clone();
    let current = company
        .as_ref()
        .and_then(|c| c.membership.as_ref().map(|m| m.id));
    let company_id = company.map(|c| c.id).unwrap_or_default();
    let plan_error = move || error_of(outcome)().and_then(|e| e.field("membership_id"));
    view! {
        <Card title="Choose a plan".into() subtitle="Change or cancel it any time from the company settings.">
            <FormError outcome fields=&["membership_id"]/>
            <ActionForm action=act attr:class="space-y-3">
                <input type="hidden" name="company_id" value=company_id.to_string()/>
                <Suspense fallback=|| view! { <p>"Loading plans…"</p> }>
                    {move || Suspend::new(async move {
                        options.await.map(|list| {
                            list.into_iter()
                                .enumerate()
                                .map(|(i, m)| {
                                    let checked = current.map(|c| c == m.id).unwrap_or(i == 0);
                                    view! {
                                        <label class="flex cursor-pointer items-center gap-3 rounded-lg border border-slate-200 p-4 hover:border-indigo-400 has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50">
                                            <input type="radio" name="membership_id" value=m.id.to_string() checked=checked class="h-4 w-4"/>
                                            <span class="flex-1">
                                                <span class="block font-medium">{m.name.clone()}</span>
                                                <span class="block text-sm text-slate-600">
                                                    {format!("Up to {} seats and {} leads", m.seat_limit, m.lead_limit)}
                                                </span>
                                            </span>
                                            <span class="font-semibold">{m.price_label()}</span>
                                        </label>
                                    }
                                })
                                .collect_view()
                        })
                    })}
                </Suspense>
                {move || plan_error().map(|m| view! { <p class="text-sm text-red-700" role="alert">"Plan "{m}</p> })}
                <Submit label="Continue"/>
            </ActionForm>
        </Card>
    }
}

/// Inviting teammates: optional, the admin may go on at any time.
#[component]
pub fn TeamStep() -> impl IntoView {
    step_page(Step::Team, |p| {
        let company_id = p.company.as_ref().map(|c| c.id).unwrap_or_default();
        view! {
            <div class="mx-auto w-full max-w-2xl space-y-6">
                <InviteTeam company_id back="/onboarding/team"/>
                <a href=Step::Finish.path() class="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700" data-testid="team-continue">
                    "Continue"
                </a>
                <p class="text-center text-sm text-slate-600">"You can invite people later from Settings → Invitations."</p>
            </div>
        }
        .into_any()
    })
}

#[component]
pub fn FinishStep() -> impl IntoView {
    step_page(Step::Finish, |p| {
        view! { <FinishForm progress=p/> }.into_any()
    })
}

#[component]
fn FinishForm(progress: Progress) -> impl IntoView {
    let act = ServerAction::<FinishOnboarding>::new();
    let outcome = act.value().into();
    let company = progress.company.clone();
    view! {
        <Card title="You are all set".into() subtitle="Here is what you set up.">
            <ul class="mb-6 space-y-2 text-sm text-slate-700" data-testid="finish-summary">
                <li>"✓ Profile: "{progress.user.full_name()}</li>
                <li>"✓ Company: "{company.as_ref().map(|c| c.name.clone()).unwrap_or_default()}</li>
                <li>{format!("✓ Terms of service: version {} signed", progress.current_terms.version)}</li>
                <li>"✓ Plan: "{company.and_then(|c| c.membership).map(|m| m.name).unwrap_or_else(|| "chosen by your admin".into())}</li>
            </ul>
            <FormError outcome/>
            <ActionForm action=act>
                <Submit label="Finish and open Leadsy"/>
            </ActionForm>
        </Card>
    }
}
