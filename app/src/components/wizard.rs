use leadsy::onboarding::{Progress, Step};
use leptos::prelude::*;

/// The onboarding steps with the done ones ticked and the current one marked.
#[component]
pub fn WizardSteps(progress: Progress, current: Step) -> impl IntoView {
    let steps = progress.wizard();
    let total = steps.len();
    let position = steps.iter().position(|s| *s == current).unwrap_or(0) + 1;
    view! {
        <nav aria-label="Onboarding progress" class="mx-auto mb-8 max-w-2xl">
            <p class="mb-2 text-sm text-slate-600" data-testid="wizard-position">
                {format!("Step {position} of {total}")}
            </p>
            <div class="mb-4 h-2 w-full rounded-full bg-slate-200">
                <div class="h-2 rounded-full bg-indigo-600" style=format!("width: {}%", position * 100 / total)></div>
            </div>
            <ol class="flex justify-between gap-2 text-xs sm:text-sm">
                {steps
                    .into_iter()
                    .map(|s| {
                        let done = progress.is_done(s);
                        let here = s == current;
                        // A phone shows the current step's name only, beside "Step n of m".
                        let class = if here {
                            "font-semibold text-indigo-800"
                        } else if done {
                            "hidden text-emerald-800 sm:block"
                        } else {
                            "hidden text-slate-700 sm:block"
                        };
                        view! {
                            <li class=class aria-current=here.then_some("step")>
                                {if done && !here { "✓ " } else { "" }}
                                {s.title()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
