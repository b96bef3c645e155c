//! My appointments: what is coming up first, then what already happened.

use super::board::member_page;
use crate::components::panel::load_failed;
use crate::components::zone::when;
use crate::rpc::leads::my_appointments;
use leptos::prelude::*;

#[component]
pub fn AppointmentsPage() -> impl IntoView {
    member_page(false, |_| {
        let data = Resource::new(|| (), |_| my_appointments());
        view! {
            <div class="space-y-4">
                <h1 class="text-2xl font-semibold">"My appointments"</h1>
                <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(e) => load_failed(e),
                            Ok(list) if list.is_empty() => view! {
                                <p class="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
                                    "No appointments yet. Book one from a lead's page."
                                </p>
                            }.into_any(),
                            Ok(list) => view! {
                                <ul class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="my-appointments">
                                    {list.into_iter().map(|a| view! {
                                        <li class="flex flex-wrap items-center justify-between gap-2 px-4 py-3" data-testid="appointment">
                                            <div>
                                                <p class="font-medium">{when(a.starts_at)}</p>
                                                <p class="text-sm text-slate-600">{[a.location.clone(), a.notes.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}</p>
                                            </div>
                                            <a class="text-sm text-indigo-800 underline" href=format!("/leads/{}", a.lead_id)>{a.lead_name.clone()}</a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        }
        .into_any()
    })
}
