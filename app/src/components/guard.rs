use crate::components::panel::load_failed;
use crate::rpc::account::whoami;
use leadsy::onboarding::{Progress, Step};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Who may see a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Sign-up, login: a signed-in user is sent on.
    Visitor,
    /// A wizard step: reachable once the steps before it are done.
    Step(Step),
    /// Signing a newer terms version after onboarding.
    Resign,
    /// The product itself: onboarding finished and the newest terms signed.
    Member,
    /// The account's own settings: anyone signed in, wherever they are in onboarding.
    SignedIn,
}

enum Verdict {
    Show(Option<Box<Progress>>),
    Go(&'static str),
}

fn judge(need: Need, me: Option<Progress>) -> Verdict {
    let Some(p) = me else {
        return match need {
            Need::Visitor => Verdict::Show(None),
            _ => Verdict::Go("/login"),
        };
    };
    let home = if p.must_resign_terms() {
        "/terms"
    } else {
        p.step.path()
    };
    match need {
        Need::Visitor => Verdict::Go(home),
        Need::SignedIn => Verdict::Show(Some(Box::new(p))),
        Need::Step(_) if p.user.onboarding_completed => Verdict::Go(home),
        Need::Step(s) if s > p.step => Verdict::Go(p.step.path()),
        Need::Resign if !p.must_resign_terms() => Verdict::Go(home),
        Need::Member if p.step != Step::Done => Verdict::Go(home),
        _ => Verdict::Show(Some(Box::new(p))),
    }
}

/// Renders `view` when the current visitor belongs on this page, else redirects
/// them (a real 302 on the server, a navigation in the browser).
#[component]
pub fn Guard<F>(need: Need, view: F) -> impl IntoView
where
    F: Fn(Option<Progress>) -> AnyView + Clone + Send + Sync + 'static,
{
    let me = Resource::new_blocking(|| (), |_| whoami());
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match me.await {
                        Err(e) => load_failed(e),
                        Ok(me) => match judge(need, me.inspect(|p| provide_context(p.user.time_zone.clone()))) {
                            Verdict::Go(path) => view! { <Redirect path=path/> }.into_any(),
                            Verdict::Show(p) => view(p.map(|p| *p)),
                        },
                    }
                })
            }}
        </Suspense>
    }
}
