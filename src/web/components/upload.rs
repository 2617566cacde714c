//! Bring your own CSV: a file picker and a drop zone. A companion ratings
//! file (MovieLens `ratings.csv`, IMDb `title.ratings.tsv`) may be chosen
//! together with the catalog.

use crate::catalog::ImdbFilter;
use crate::model::SavedModel;
use crate::web::state::{is_workbook_name, Action, Source};
use crate::web::workers::{blob_text, Workers};
use web_sys::{File, FileList, HtmlInputElement};
use yew::prelude::*;

/// Whether a build is running (uploads wait for it).
#[derive(Properties, PartialEq)]
pub struct UploadProps {
    /// The page's workers.
    pub workers: Workers,
    /// A build is running.
    pub busy: bool,
}

fn is_ratings(name: &str) -> bool {
    name.to_lowercase().contains("rating")
}

async fn open(files: Vec<File>, workers: Workers) {
    let fail = |message: String| workers.dispatch(Action::ShowError(message));
    if files.is_empty() {
        return;
    }
    workers.forget_model();
    // A saved model: on its own it clusters the catalog in use; chosen with
    // a catalog, that catalog once its columns are confirmed.
    let mut model = None;
    let mut rest = Vec::new();
    for file in files {
        match read_model(&file).await {
            Ok(Some(found)) if model.is_none() => model = Some((file.name(), found)),
            Ok(_) => rest.push(file),
            Err(message) => return fail(format!("{}: {message}", file.name())),
        }
    }
    let files = rest;
    if files.is_empty() {
        if let Some((name, (saved, json))) = model {
            workers.apply_model(name, &saved, json);
        }
        return;
    }
    if files.len() > 2 {
        return fail(
            "choose one catalog file, or a catalog and its ratings file (two files at most, and a saved model)".into(),
        );
    }
    // No limit on the file: the worker reads it as a stream and limits what
    // it keeps (IMDb's 1 GB dump keeps a few tens of thousands of rows).
    let (ratings, catalogs): (Vec<File>, Vec<File>) = if files.len() == 2 {
        files.into_iter().partition(|f| is_ratings(&f.name()))
    } else {
        (Vec::new(), files)
    };
    let (Some(catalog), true) = (catalogs.first(), ratings.len() <= 1 && catalogs.len() == 1)
    else {
        return fail(
            "with two files, one must be the ratings file (its name contains \"ratings\") or a saved model".into(),
        );
    };
    // The worker reads the file: the page passes it by reference, never copying it.
    workers.dispatch(Action::Reading(Some(format!(
        "reading {} and finding its columns",
        catalog.name()
    ))));
    let ratings = ratings.first().map(|r| workers.keep(r.clone().into()));
    let name = match &ratings {
        Some(_) => format!("{} + ratings", catalog.name()),
        None => catalog.name(),
    };
    // The same file chosen again is the same catalog, with the same marks.
    let identity = format!(
        "{}:{}:{}",
        catalog.name(),
        catalog.size(),
        catalog.last_modified()
    );
    let source = Source {
        name,
        file: workers.keep(catalog.clone().into()),
        ratings,
        roles: None,
        filter: ImdbFilter::default(),
        identity,
        workbook: None,
        split: None,
    };
    if let Some((name, (saved, json))) = model {
        workers.expect_model(&source, name, &saved, json);
    }
    if is_workbook_name(&catalog.name()) {
        workers.read_sheet(source, None);
    } else {
        workers.inspect(source);
    }
}

/// Largest saved model read (k × features numbers and a pipeline: a few
/// hundred kilobytes at most in practice).
const MODEL_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// The saved model in `file` and its JSON, `None` when the file is not a
/// model (it is then read as a catalog), or why the model cannot be used.
async fn read_model(file: &File) -> Result<Option<(SavedModel, String)>, String> {
    if !file.name().to_lowercase().ends_with(".json") {
        return Ok(None);
    }
    let head = file
        .slice_with_f64_and_f64(0.0, 4096.0)
        .map_err(|e| format!("{e:?}"))?;
    if !SavedModel::is_saved_model(blob_text(&head).await?.as_bytes()) {
        return Ok(None);
    }
    if file.size() > MODEL_BYTES {
        return Err("a saved model this large cannot be right (more than 64 MB)".into());
    }
    let json = blob_text(file).await?;
    let saved = SavedModel::from_json(&json).map_err(|e| e.to_string())?;
    Ok(Some((saved, json)))
}

pub(super) fn files_of(list: Option<FileList>) -> Vec<File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Upload panel.
#[component]
pub fn UploadPanel(props: &UploadProps) -> Html {
    let workers = props.workers.clone();
    let dragging = use_state(|| false);
    let start = {
        let workers = workers.clone();
        move |files: Vec<File>| {
            wasm_bindgen_futures::spawn_local(open(files, workers.clone()));
        }
    };
    let onchange = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            start(files_of(input.files()));
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            start(files_of(e.data_transfer().and_then(|d| d.files())));
        })
    };
    html! {
        <section class={classes!("card", "upload", dragging.then_some("dragging"))} id="upload" tabindex="-1" {ondragover} {ondragleave} {ondrop}>
            <h2>{"Your own catalog"}</h2>
            <p class="muted">{"CSV or TSV with a title column and any of year, genres, runtime, rating, votes, language. Also: MovieLens movies.csv + ratings.csv, or IMDb's dumps title.basics.tsv.gz + title.ratings.tsv.gz exactly as downloaded, filtered as they are read (choose or drop both files). A JSON array of movies or JSON Lines, and spreadsheets (.xlsx, .ods), work too; a model saved from Export clusters the catalog in use as it did; headers in English, German, French, Spanish, Italian, Portuguese or Dutch, decimal commas and dates in any common order are understood. Gzipped files are read as they are. The file stays in your browser."}</p>
            <label class="file">
                <span>{"Choose file(s) or drop them here"}</span>
                <input type="file" data-testid="upload-input" accept=".csv,.tsv,.txt,.json,.jsonl,.gz,.xlsx,.xlsm,.ods,.xls,text/csv,text/tab-separated-values,application/json,application/gzip" multiple=true disabled={props.busy} {onchange} />
            </label>
        </section>
    }
}
