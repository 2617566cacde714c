//! What the page reads of its own site and address, and what it saves:
//! the default catalog and the model a prepared site names, `?shards=N`,
//! and downloads.

use crate::model::SavedModel;
use crate::web::error::{within, WebError};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Saves bytes a worker made as a file.
pub(super) fn download(name: &str, mime: &str, bytes: &Uint8Array) -> Result<(), WebError> {
    let fail = |e| WebError::Browser(format!("cannot save {name}: {e:?}"));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(bytes), &options)
            .map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(fail)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(fail)
}

/// The model a prepared site names for its default catalog
/// (`<meta name="reelmeans-model" content="model.json">`, written by
/// `deploy/stage.sh`): its URL, the model and its JSON, or why it cannot be
/// used. `None` when the page names no model.
pub(super) async fn default_model() -> Option<Result<(String, SavedModel, String), WebError>> {
    let url = site_meta("reelmeans-model")?;
    let read = async {
        let blob = fetch_blob(&url).await?;
        let text = blob_text(&blob).await.map_err(|e| WebError::Site {
            url: url.clone(),
            why: e.to_string(),
        })?;
        let saved = SavedModel::from_json(&text).map_err(within(url.clone()))?;
        Ok((url.clone(), saved, text))
    };
    Some(read.await)
}

/// The content of `<meta name="NAME">`, if the page has it.
pub(super) fn site_meta(name: &str) -> Option<String> {
    gloo::utils::document()
        .query_selector(&format!("meta[name={name}]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
}

/// The absolute URL of the folder holding `path` (relative to the page).
pub(super) fn folder_of(path: &str) -> String {
    let base = gloo::utils::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default();
    web_sys::Url::new_with_base(path, &base)
        .and_then(|file| web_sys::Url::new_with_base(".", &file.href()))
        .map(|folder| folder.href())
        .unwrap_or_default()
}

/// A file's text (its bytes as UTF-8, invalid ones replaced).
async fn blob_text(blob: &Blob) -> Result<String, WebError> {
    let text = JsFuture::from(blob.text())
        .await
        .map_err(|e| WebError::Browser(format!("cannot be read: {e:?}")))?;
    text.as_string()
        .ok_or_else(|| "cannot be read as text".into())
}

pub(super) async fn fetch_blob(url: &str) -> Result<Blob, WebError> {
    let failed = |why: String| WebError::Site {
        url: url.into(),
        why,
    };
    let window = web_sys::window().ok_or_else(|| failed("no window".into()))?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| failed(format!("cannot download it: {e:?}")))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| failed("bad fetch response".into()))?;
    if !response.ok() {
        return Err(failed(format!(
            "cannot download it: HTTP {}",
            response.status()
        )));
    }
    let blob = JsFuture::from(response.blob().map_err(|e| failed(format!("{e:?}")))?)
        .await
        .map_err(|e| failed(format!("cannot read it: {e:?}")))?;
    blob.dyn_into().map_err(|_| failed("cannot read it".into()))
}

/// The page's `?shards=N` (1 to 64): k-means' rows in exactly N shards, on
/// N − 1 shard workers beside the building worker, whatever the catalog's
/// size. For tests and benchmarks; the clusters are the same for any N.
pub(super) fn url_shards() -> Option<u32> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let shards: u32 = params.get("shards")?.parse().ok()?;
    Some(shards.clamp(1, 64))
}
