//! Bring your own catalog: a file picker and a drop zone. A companion
//! ratings file (MovieLens `ratings.csv`, IMDb `title.ratings.tsv`) and a
//! saved model may be chosen together with the catalog; the files go to a
//! catalog worker, which tells them apart by their contents.

use crate::web::page::workers::Workers;
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
            workers.open(files);
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
