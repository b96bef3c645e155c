//! The team: every member with their access; admins change an access or remove a
//! member (a company always keeps one admin).

use super::{load_failed, read_only, settings_page, Confirm, Panel};
use crate::components::form::{FormError, Outcome};
use crate::components::frame::Avatar;
use crate::rpc::company::my_standing;
use crate::rpc::team::{team, ChangeAccess, RemoveMember, TeamData};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn TeamSettings() -> impl IntoView {
    settings_page("team", |company_id| view! { <Team company_id/> }.into_any())
}

#[component]
fn Team(company_id: i64) -> impl IntoView {
    let change = ServerAction::<ChangeAccess>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let data = Resource::new(
        move || (change.version().get(), remove.version().get()),
        move |_| team(company_id),
    );
    let me = Resource::new(move || company_id, my_standing);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (data.await, me.await) {
                    (Err(e), _) | (_, Err(e)) => load_failed(e),
                    (Ok(data), Ok(me)) => view! { <Members data admin=me.is_admin() change remove/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Members(
    data: TeamData,
    admin: bool,
    change: ServerAction<ChangeAccess>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let change_outcome: Outcome = change.value().into();
    let remove_outcome: Outcome = remove.value().into();
    let accesses = data.accesses.clone();
    view! {
        <Panel title="Team" note="Admins manage the company, team and plan; managers the sales process; sales reps work their leads.">
            <FormError outcome=change_outcome/>
            <FormError outcome=remove_outcome/>
            {(!admin).then(|| read_only("admins"))}
            <ul class="divide-y divide-slate-100" data-testid="members">
                {data.members.into_iter().map(|m| {
                    let accesses = accesses.clone();
                    let user_id = m.user.id;
                    let ua = m.user_access_id;
                    let name = m.user.display_name();
                    let (access_label, remove_label) = (format!("Access of {name}"), format!("Remove {name}"));
                    view! {
                        <li class="flex flex-wrap items-center gap-3 py-3" data-testid="member" data-email=m.user.email.clone()>
                            <Avatar url=m.user.avatar_url.clone() name=m.user.full_name() size="h-9 w-9"/>
                            <div class="min-w-0 flex-1">
                                <p class="font-medium">{name.clone()}</p>
                                <p class="truncate text-sm text-slate-600">{m.user.email.clone()}</p>
                            </div>
                            {if admin {
                                view! {
                                    <ActionForm action=change attr:class="flex items-center gap-2">
                                        <input type="hidden" name="user_id" value=user_id/>
                                        <input type="hidden" name="user_access_id" value=ua/>
                                        <select name="access_id" aria-label=access_label class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
                                            {accesses.iter().map(|a| view! {
                                                <option value=a.id selected=a.id == m.access.id>{a.name.clone()}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"Change"</button>
                                    </ActionForm>
                                    <Confirm action=RemoveMember::PATH label="Remove" question=format!("{remove_label}? They lose access to the company's leads.")>
                                        <input type="hidden" name="user_id" value=user_id/>
                                        <input type="hidden" name="user_access_id" value=ua/>
                                    </Confirm>
                                }
                                .into_any()
                            } else {
                                view! { <span class="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{m.access.name.clone()}</span> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Panel>
    }
}
