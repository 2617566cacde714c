//! Downloads made in the browser: the clustered catalog as CSV, the model as JSON.

use crate::export::{clustered_csv, SavedModel};
use crate::web::state::Loaded;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The catalog.
    pub loaded: Rc<Loaded>,
}

fn download(name: &str, mime: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

/// Export buttons.
#[component]
pub fn ExportPanel(props: &ExportProps) -> Html {
    let csv = {
        let loaded = props.loaded.clone();
        Callback::from(move |_| {
            download(
                "reelmeans-clusters.csv",
                "text/csv",
                &clustered_csv(&loaded.data),
            );
        })
    };
    let json = {
        let loaded = props.loaded.clone();
        Callback::from(move |_| {
            download(
                "reelmeans-model.json",
                "application/json",
                &SavedModel::from_clustered(&loaded.data).to_json(),
            );
        })
    };
    html! {
        <section class="card">
            <h2>{"Export"}</h2>
            <button onclick={csv}>{"Catalog with clusters (CSV)"}</button>
            <button onclick={json}>{"Model (JSON)"}</button>
        </section>
    }
}
