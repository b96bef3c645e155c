//! Home for a member who finished onboarding: their company, plan and next steps.

use crate::components::frame::{Avatar, Frame};
use crate::components::guard::{Guard, Need};
use leadsy::onboarding::Progress;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! { <Guard need=Need::Member view=|p| view! { <Dashboard progress=p.expect("a member")/> }.into_any()/> }
}

#[component]
fn Dashboard(progress: Progress) -> impl IntoView {
    let user = progress.user.clone();
    let company = progress.company.clone();
    view! {
        <Frame user=user.clone()>
            <div class="space-y-6" data-testid="dashboard">
                <div>
                    <h1 class="text-2xl font-semibold">{format!("Welcome, {}", user.first_name)}</h1>
                    <p class="text-slate-600">"Your onboarding is complete."</p>
                </div>
                {company.map(|c| {
                    let plan = c.membership.clone();
                    view! {
                        <section class="flex items-center gap-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                            <Avatar url=c.avatar_url.clone() name=c.name.clone() size="h-14 w-14"/>
                            <div class="flex-1">
                                <h2 class="text-lg font-semibold" data-testid="company-name">{c.name.clone()}</h2>
                                <p class="text-sm text-slate-600">
                                    {match plan {
                                        Some(m) => format!("{} plan · {} · up to {} seats and {} leads", m.name, m.price_label(), m.seat_limit, m.lead_limit),
                                        None => "No plan chosen yet".to_string(),
                                    }}
                                </p>
                            </div>
                        </section>
                    }
                })}
                <section class="grid gap-4 sm:grid-cols-2">
                    <a href="/api-docs" class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm hover:border-indigo-300">
                        <h3 class="font-semibold">"API reference"</h3>
                        <p class="text-sm text-slate-600">"Drive Leadsy from your own tools through /api/v1."</p>
                    </a>
                    <div class="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                        <h3 class="font-semibold">"Terms of service"</h3>
                        <p class="text-sm text-slate-600">
                            {format!("You signed version {}.", progress.current_terms.version)}
                        </p>
                    </div>
                </section>
            </div>
        </Frame>
    }
}
