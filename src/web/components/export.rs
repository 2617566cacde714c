//! Downloads made in the browser: the clustered catalog as CSV, the model as
//! JSON. The worker holding the catalog writes the file; the page saves it.

use crate::web::app::Workers;
use crate::web::protocol::Request;
use yew::prelude::*;

/// Export buttons.
#[component]
pub fn ExportPanel() -> Html {
    let workers = use_context::<Workers>();
    let export = |model: bool| {
        let workers = workers.clone();
        Callback::from(move |_| {
            if let Some(workers) = &workers {
                workers.ask(&Request::Export { model });
            }
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
