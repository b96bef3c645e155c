//! The board's views: one click to "My leads" or to a saved set of filters, and a
//! form that saves the filters in use under a name, for oneself or the team.

use crate::components::form::{FormError, Outcome};
use crate::components::panel::Confirm;
use crate::rpc::board::{board_href, Choices, DeleteView, SaveView};
use leadsy::leads::LeadFilter;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

const CHIP: &str = "inline-flex items-center gap-1 rounded-full border px-3 py-1 text-sm";

#[component]
pub fn Views(company_id: i64, catalog: Choices, filter: Memo<LeadFilter>) -> impl IntoView {
    let f = filter.get_untracked();
    let save = ServerAction::<SaveView>::new();
    let remove = ServerAction::<DeleteView>::new();
    let saved: Outcome = save.value().into();
    let removed: Outcome = remove.value().into();
    let chip_class = move |current: bool| {
        if current {
            format!("{CHIP} border-indigo-300 bg-indigo-50 font-medium text-indigo-900")
        } else {
            format!("{CHIP} border-slate-300 bg-white text-slate-800 hover:bg-slate-50")
        }
    };
    let mine = LeadFilter {
        assigned_user_access_id: Some(catalog.my_access),
        ..Default::default()
    };
    let my_leads = catalog.manages.then(|| {
        let current = f == mine;
        view! { <a href=board_href(&mine) class=chip_class(current) aria-current=current.then_some("page") data-testid="view-mine">"My leads"</a> }
    });
    let me = catalog.my_access;
    let views = catalog.views.into_iter().map(|v| {
        let current = v.filter == f;
        let own = v.user_access_id == me;
        let title = if v.shared { format!("Shared by {}", v.owner_name) } else { "Only you see this view".into() };
        view! {
            <span class=chip_class(current) data-testid="saved-view">
                <a href=board_href(&v.filter) title=title aria-current=current.then_some("page")>{v.name.clone()}</a>
                {v.shared.then(|| view! { <span class="text-xs text-slate-500">"· team"</span> })}
                {own.then(|| view! {
                    <Confirm action=DeleteView::PATH label="×" question=format!("Delete the view \"{}\"?", v.name)>
                        <input type="hidden" name="company_id" value=company_id/>
                        <input type="hidden" name="view_id" value=v.id/>
                    </Confirm>
                })}
            </span>
        }
    }).collect_view();
    view! {
        <div class="space-y-2">
            <FormError outcome=saved/>
            <FormError outcome=removed/>
            <div class="flex flex-wrap items-center gap-2" aria-label="Saved views" data-testid="views">
                <a href="/board" class=chip_class(f == LeadFilter::default())>{if catalog.manages { "All leads" } else { "My leads" }}</a>
                {my_leads}
                {views}
                <details class="relative">
                    <summary class="cursor-pointer list-none px-2 py-1 text-sm font-medium text-indigo-800 hover:underline [&::-webkit-details-marker]:hidden" data-testid="save-view">"Save view"</summary>
                    <div class="absolute left-0 z-20 mt-1 w-72 max-w-[85vw] rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
                        <ActionForm action=save attr:class="space-y-2">
                            <input type="hidden" name="company_id" value=company_id/>
                            {super::filter_inputs("filter", &f)}
                            <label class="block text-sm font-medium text-slate-800">
                                "Name"
                                <input type="text" name="name" required maxlength="100" placeholder="Hot leads this week"
                                    class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" data-testid="view-name"/>
                            </label>
                            <label class="flex items-center gap-2 text-sm text-slate-800">
                                <input type="checkbox" name="shared" value="on"/>
                                "Share with the team"
                            </label>
                            <p class="text-xs text-slate-600">"Saves the search and filters in use now."</p>
                            <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">"Save"</button>
                        </ActionForm>
                    </div>
                </details>
            </div>
        </div>
    }
}
