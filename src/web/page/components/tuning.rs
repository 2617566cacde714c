//! Tuning: k, the weight of each feature group and the scaling; applying
//! re-clusters in the worker while the current catalog stays usable.

use crate::features::{FeatureGroup, Scaling};
use crate::web::page::workers::Workers;
use crate::web::state::{k_refusal, Settings, Source};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The settings in use, the files to re-cluster and what the elbow suggests.
#[derive(Properties, PartialEq)]
pub struct TuningProps {
    /// The page's workers.
    pub workers: Workers,
    /// Settings of the current catalog.
    pub settings: Settings,
    /// Its files.
    pub source: Source,
    /// Number of titles (upper bound for k).
    pub titles: usize,
    /// A build is running.
    pub busy: bool,
    /// The elbow's suggested k.
    pub suggested: Option<usize>,
    /// Builds cancelled so far (a new one resets the panel to `settings`).
    pub cancels: u32,
}

/// Tuning panel.
#[component]
pub fn TuningPanel(props: &TuningProps) -> Html {
    let workers = props.workers.clone();
    let draft = use_state(|| props.settings.clone());
    // What is typed in the k field while it is being edited (it may be empty
    // or not yet a number); `None` shows the draft's k.
    let k_text = use_state(|| None::<String>);
    // Why the k typed cannot be used (out of range), shown beside the field.
    let k_error = use_state(|| None::<String>);
    {
        let (draft, k_text, k_error) = (draft.clone(), k_text.clone(), k_error.clone());
        use_effect_with(props.settings.clone(), move |s| {
            draft.set(s.clone());
            k_text.set(None);
            k_error.set(None);
            || ()
        });
    }
    {
        // A cancelled build leaves the panel showing the settings in use
        // again, not the cancelled ones. (Only a cancel: what the user types
        // while some other build runs, a restore or an upload, stays.)
        let (draft, k_text, k_error) = (draft.clone(), k_text.clone(), k_error.clone());
        let settings = props.settings.clone();
        let seen = use_mut_ref(|| props.cancels);
        use_effect_with(props.cancels, move |cancels| {
            if *seen.borrow() != *cancels {
                draft.set(settings);
                k_text.set(None);
                k_error.set(None);
            }
            *seen.borrow_mut() = *cancels;
            || ()
        });
    }
    let current_k = draft
        .k
        .unwrap_or_else(|| crate::clustered::default_k(props.titles));
    // The field keeps what is typed, and the draft follows every keystroke:
    // a re-render (a build finishing meanwhile) must not undo typing. A k
    // out of range is refused with a sentence, and stays in the field.
    let set_k = {
        let (draft, k_text, k_error) = (draft.clone(), k_text.clone(), k_error.clone());
        let titles = props.titles;
        move |input: HtmlInputElement, editing: bool| {
            let text = input.value();
            let mut refused = false;
            if let Ok(k) = text.trim().parse::<usize>() {
                let why = k_refusal(k, titles);
                refused = why.is_some();
                if !refused {
                    draft.set(Settings {
                        k: Some(k),
                        ..(*draft).clone()
                    });
                }
                k_error.set(why);
            }
            // Once the edit is done, the field shows the k that will be used.
            k_text.set((editing || refused).then_some(text));
        }
    };
    let on_k = {
        let set_k = set_k.clone();
        Callback::from(move |e: Event| set_k(e.target_unchecked_into(), false))
    };
    let on_k_input = Callback::from(move |e: InputEvent| set_k(e.target_unchecked_into(), true));
    let on_scaling = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut s = (*draft).clone();
            s.spec.scaling = match e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "zscore" => Scaling::ZScore,
                _ => Scaling::MinMax,
            };
            draft.set(s);
        })
    };
    let apply = {
        let workers = workers.clone();
        let draft = draft.clone();
        let source = props.source.clone();
        let refused = k_error.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !refused {
                workers.build(source.clone(), (*draft).clone());
            }
        })
    };
    let use_suggested = props.suggested.map(|k| {
        let (draft, k_text, k_error) = (draft.clone(), k_text.clone(), k_error.clone());
        Callback::from(move |_| {
            k_text.set(None);
            k_error.set(None);
            draft.set(Settings {
                k: Some(k),
                ..(*draft).clone()
            })
        })
    });
    html! {
        <section class="card tuning" id="tuning" tabindex="-1">
            <h2>{"Tuning"}</h2>
            <form onsubmit={apply}>
                <label for="k">{"Number of clusters (k)"}</label>
                <input id="k" type="number" min="1" max={props.titles.to_string()} value={(*k_text).clone().unwrap_or_else(|| current_k.to_string())} onchange={on_k} oninput={on_k_input}
                    aria-invalid={k_error.is_some().to_string()} aria-describedby={k_error.as_ref().map(|_| "k-error")} />
                if let Some(why) = &*k_error {
                    <p class="error" id="k-error" role="alert" data-testid="k-error">{why}</p>
                }
                if let (Some(k), Some(cb)) = (props.suggested, use_suggested) {
                    <p class="muted">{format!("Elbow suggests k = {k}. ")}<button type="button" class="link" onclick={cb}>{"Use it"}</button></p>
                }
                <fieldset>
                    <legend>{"What makes movies similar (weights)"}</legend>
                    { for FeatureGroup::ALL.iter().map(|&g| {
                        let draft = draft.clone();
                        let value = draft.spec.weights.get(g);
                        let oninput = Callback::from(move |e: InputEvent| {
                            if let Ok(w) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<f32>() {
                                let mut s = (*draft).clone();
                                s.spec.weights.set(g, w);
                                draft.set(s);
                            }
                        });
                        let id = format!("weight-{}", g.name());
                        html! {
                            <div class="weight">
                                <label for={id.clone()}>{g.name()}</label>
                                <input {id} type="range" min="0" max="6" step="0.25" value={value.to_string()} {oninput} />
                                <output>{format!("{value:.2}")}</output>
                            </div>
                        }
                    }) }
                </fieldset>
                <label for="scaling">{"Scaling"}</label>
                <select id="scaling" onchange={on_scaling}>
                    <option value="minmax" selected={draft.spec.scaling == Scaling::MinMax}>{"min-max (0 to 1)"}</option>
                    <option value="zscore" selected={draft.spec.scaling == Scaling::ZScore}>{"z-score"}</option>
                </select>
                <button class="primary" type="submit" disabled={props.busy || k_error.is_some()}>{"Re-cluster"}</button>
            </form>
        </section>
    }
}
