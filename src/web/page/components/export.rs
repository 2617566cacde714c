//! Downloads made in the browser: the clustered catalog as CSV (an
//! uploaded file's own columns plus `cluster` and `distance`), the model as
//! JSON (which the upload panel loads back). The worker holding the
//! catalog writes the file; the page saves it.

use crate::web::page::workers::Workers;
use yew::prelude::*;

/// What the export buttons need.
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The page's workers (the session worker writes the files).
    pub workers: Workers,
}

/// Export buttons.
#[component]
pub fn ExportPanel(props: &ExportProps) -> Html {
    let export = |model: bool| {
        let workers = props.workers.clone();
        Callback::from(move |_| {
            workers.export(model);
        })
    };
    html! {
        <section class="card">
            <h2>{"Export"}</h2>
            <button onclick={export(false)}>{"Catalog with clusters (CSV)"}</button>
            <button onclick={export(true)}>{"Model (JSON)"}</button>
        </section>
    }
}
