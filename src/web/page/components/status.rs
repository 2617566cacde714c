//! The status line: the stage of long work with a progress bar and a cancel button, or "ready".

use crate::web::page::workers::Workers;
use crate::web::state::{ready_line, Loaded, Pending};
use std::rc::Rc;
use yew::prelude::*;

/// The catalog in use, a build in flight, and an upload being read.
#[derive(Properties, PartialEq)]
pub struct StatusProps {
    /// The page's workers.
    pub workers: Workers,
    /// The catalog in use.
    pub loaded: Option<Rc<Loaded>>,
    /// A build in flight.
    pub pending: Option<Pending>,
    /// An upload being read.
    pub reading: Option<String>,
}

/// Status bar.
#[component]
pub fn StatusBar(props: &StatusProps) -> Html {
    let workers = props.workers.clone();
    let s = props;
    let ready = s.loaded.as_ref().map(|l| ready_line(l));
    let cancel = Callback::from(move |_| {
        workers.cancel();
    });
    html! {
        <div class="status" aria-live="polite">
            if let Some(p) = &s.pending {
                <span data-testid="status" class="busy">
                    { format!("working: {} — {}", p.source.name, p.stage.describe()) }
                    if let Some(ready) = &ready { { format!(" (still {ready})") } }
                </span>
                if let Some(f) = p.stage.fraction() {
                    <progress max="1" value={f.to_string()} aria-label="progress"></progress>
                } else {
                    <progress aria-label="progress"></progress>
                }
                if p.job.is_some() {
                    <button onclick={cancel}>{"Cancel"}</button>
                }
            } else if let Some(reading) = &s.reading {
                <span data-testid="status" class="busy">
                    { reading.clone() }
                    if let Some(ready) = &ready { { format!(" (still {ready})") } }
                </span>
                <progress aria-label="progress"></progress>
            } else if let Some(ready) = ready {
                <span data-testid="status">{ready}</span>
                // Notes (rows left out, ratings joined, k-means timing) are
                // details, not the status: one click away.
                if let Some(l) = s.loaded.as_ref().filter(|l| !l.notes.is_empty()) {
                    <details class="notes" data-testid="status-details">
                        <summary>{"details"}</summary>
                        { for l.notes.iter().map(|n| html! { <span class="note">{n.to_string()}</span> }) }
                    </details>
                }
            } else {
                <span data-testid="status">{"not loaded"}</span>
            }
        </div>
    }
}
