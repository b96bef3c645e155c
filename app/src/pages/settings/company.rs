//! The company's profile: its name and picture.

use super::{load_failed, read_only, settings_page, Panel, BUTTON};
use crate::components::form::{posted_error, Field, FormError, Outcome};
use crate::components::frame::Avatar;
use crate::rpc::company::{
    my_standing, RemoveCompanyAvatar, RenameCompany, Standing, UploadCompanyAvatar,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn CompanySettings() -> impl IntoView {
    settings_page("company", |company_id| {
        view! { <Profile company_id/> }.into_any()
    })
}

#[component]
fn Profile(company_id: i64) -> impl IntoView {
    let rename = ServerAction::<RenameCompany>::new();
    let remove = ServerAction::<RemoveCompanyAvatar>::new();
    let me = Resource::new(
        move || (rename.version().get(), remove.version().get()),
        move |_| my_standing(company_id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Err(e) => load_failed(e),
                    Ok(me) => view! { <ProfileForms me rename remove/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileForms(
    me: Standing,
    rename: ServerAction<RenameCompany>,
    remove: ServerAction<RemoveCompanyAvatar>,
) -> impl IntoView {
    let outcome: Outcome = rename.value().into();
    let remove_outcome: Outcome = remove.value().into();
    let upload_error = posted_error::<UploadCompanyAvatar>();
    let company = me.company.clone();
    let id = company.id;
    let admin = me.is_admin();
    let has_avatar = company.avatar_url.is_some();
    view! {
        <Panel title="Company profile" note="Your team sees this name and picture across Leadsy.">
            <div class="flex items-center gap-4">
                <Avatar url=company.avatar_url.clone() name=company.name.clone() size="h-16 w-16"/>
                <div>
                    <p class="text-xl font-semibold" data-testid="company-name">{company.name.clone()}</p>
                    <p class="text-sm text-slate-600">{format!("Your access: {}", me.role.key().replace('_', " "))}</p>
                </div>
            </div>
            {if admin {
                view! {
                    <FormError outcome fields=&["name"]/>
                    <ActionForm action=rename attr:class="flex items-end gap-3">
                        <input type="hidden" name="company_id" value=id/>
                        <div class="flex-1">
                            <Field label="Company name" name="name" value=company.name.clone() required=true outcome/>
                        </div>
                        <button type="submit" class=BUTTON>"Save"</button>
                    </ActionForm>
                    <div class="space-y-2">
                        <form method="post" enctype="multipart/form-data" action={<UploadCompanyAvatar as ServerFn>::PATH} class="flex flex-wrap items-center gap-2">
                            <input type="hidden" name="company_id" value=id/>
                            <input type="file" name="file" accept="image/png,image/jpeg,image/webp" class="min-w-0 max-w-full text-sm" aria-label="Company picture"/>
                            <button type="submit" class="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">"Upload picture"</button>
                        </form>
                        <p class="text-xs text-slate-600">"PNG, JPEG or WebP, up to 2 MB."</p>
                        {upload_error.map(|e| view! { <p class="text-sm text-red-700" role="alert">{e.to_string()}</p> })}
                        <FormError outcome=remove_outcome/>
                        <Show when=move || has_avatar>
                            <ActionForm action=remove>
                                <input type="hidden" name="company_id" value=id/>
                                <button type="submit" class="text-xs text-slate-600 hover:text-red-700">"Remove picture"</button>
                            </ActionForm>
                        </Show>
                    </div>
                }
                .into_any()
            } else {
                read_only("admins").into_any()
            }}
        </Panel>
    }
}
