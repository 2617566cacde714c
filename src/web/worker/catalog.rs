//! The catalog worker: opens an upload (which file is the catalog, its
//! ratings and a saved model; a workbook's sheet; the catalog's columns),
//! builds the catalog the user confirmed, then keeps it and answers the
//! page's queries about it (search, the movie panel, exports). The page runs
//! a fresh one per build and keeps the one holding the catalog in use.
//!
//! An upload's files cross from the page once, to this worker: it reads a
//! workbook's sheet through a spreadsheet worker it starts, fits k-means on
//! shard workers it starts, and starts the elbow worker after the build.

use super::build::{build, open_split, Built, Held};
use super::elbow::fit_elsewhere;
use super::sheets::{read_elsewhere, ReadSheet};
use super::{input, inputs, post, post_with, Input, WHOLE_FILE_LIMIT};
use crate::inspect::{inspect, sniff, FileKind};
use crate::model::SavedModel;
use crate::split::cluster_file;
use crate::web::bridge::Bridge;
use crate::web::error::{within, WebError};
use crate::web::messages::{
    Build, CatalogRequest, CatalogResponse, CatalogRole, ElbowRequest, ElbowRole, ModelChoice,
    Opened, OpenedModel,
};
use crate::web::state::{elbow_k_max, ELBOW_K_MIN};
use js_sys::Array;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    /// The upload this worker opened, kept for its build.
    static OPENED: RefCell<Option<Upload>> = const { RefCell::new(None) };
    /// The catalog this worker built, and its build job.
    static SESSION: RefCell<Option<(u32, Held)>> = const { RefCell::new(None) };
    /// The rows the elbow curve of this worker's catalog is fitted on, until
    /// the page asks for it.
    static ELBOW_ROWS: RefCell<Option<ElbowRows>> = const { RefCell::new(None) };
    /// The worker fitting the elbow curve of this worker's catalog.
    static ELBOW: RefCell<Option<Bridge<ElbowRole>>> = const { RefCell::new(None) };
}

/// An opened upload: its files, and which is what.
#[derive(Clone)]
struct Upload {
    files: Vec<Input>,
    catalog: Option<usize>,
    ratings: Option<usize>,
    /// The saved model's slot, its file's name, and the model.
    model: Option<(usize, String, SavedModel)>,
    /// A workbook's sheet read as CSV.
    sheet: Option<ReadSheet>,
}

/// A built catalog's sample of rows for its elbow curve: its build job,
/// rows, columns, the values row after row, the k-means seed, and the
/// catalog's titles.
type ElbowRows = (u32, usize, usize, Vec<f32>, u64, usize);

/// Suggestions per search.
const SEARCH_LIMIT: usize = 8;

/// Largest saved model read (k × features numbers and a pipeline: a few
/// hundred kilobytes at most in practice).
const MODEL_BYTES: u64 = 64 * 1024 * 1024;

fn fail(job: Option<u32>, message: String) {
    post::<CatalogRole>(&CatalogResponse::Failed { job, message });
}

/// Answers one request.
pub(super) fn handle(request: CatalogRequest, parts: &Array) {
    match request {
        CatalogRequest::Open { names } => {
            let files = inputs(parts);
            wasm_bindgen_futures::spawn_local(async move {
                match open(&names, files).await {
                    Ok((upload, opened)) => {
                        OPENED.with(|o| *o.borrow_mut() = Some(upload));
                        post::<CatalogRole>(&CatalogResponse::Opened(Box::new(opened)));
                    }
                    Err(e) => fail(None, e.to_string()),
                }
            });
        }
        CatalogRequest::Sheet { sheet } => {
            let Some(upload) = OPENED.with(|o| o.borrow().clone()) else {
                return fail(None, "no workbook is open".into());
            };
            wasm_bindgen_futures::spawn_local(async move {
                // On failure the sheet read before stays.
                match reread(upload, sheet).await {
                    Ok((upload, opened)) => {
                        OPENED.with(|o| *o.borrow_mut() = Some(upload));
                        post::<CatalogRole>(&CatalogResponse::Opened(Box::new(opened)));
                    }
                    Err(e) => fail(None, e.to_string()),
                }
            });
        }
        CatalogRequest::Build(choice) => {
            let files = inputs(parts);
            wasm_bindgen_futures::spawn_local(start_build(*choice, files));
        }
        CatalogRequest::Search { query } => with_session(|built, held| {
            let hits = held.queries().search(&query, SEARCH_LIMIT);
            post::<CatalogRole>(&CatalogResponse::Hits {
                job: built,
                hits,
                query,
            })
        }),
        CatalogRequest::Card {
            selection,
            watched,
            liked,
        } => with_session(|built, held| {
            if let Held::Split { catalog, base } = held {
                if let Some(c) = catalog.needs(selection.as_ref()) {
                    // The selection's cluster, from the site; on failure the loaded one stays.
                    let url = format!("{base}{}", cluster_file(c));
                    if let Err(message) = fetch_sync(&url).and_then(|bytes| {
                        catalog.load(c, bytes).map_err(|source| WebError::Split {
                            name: url.clone(),
                            source,
                        })
                    }) {
                        return fail(None, format!("cluster {}: {message}", c + 1));
                    }
                }
            }
            let card = held.queries().card(selection.as_ref(), &watched, &liked);
            post::<CatalogRole>(&CatalogResponse::Card {
                job: built,
                selection,
                card: Box::new(card),
            })
        }),
        CatalogRequest::Elbow => {
            if let Some((job, rows, cols, values, seed, titles)) =
                ELBOW_ROWS.with(|e| e.borrow_mut().take())
            {
                start_elbow(job, rows, cols, &values, seed, titles);
            }
        }
        CatalogRequest::Export { model } => {
            let file = input(parts, 1);
            with_session(|_, held| match export(held, model, file) {
                Ok((name, mime, text)) => post_with::<CatalogRole>(
                    &CatalogResponse::Exported {
                        name: name.into(),
                        mime: mime.into(),
                    },
                    Some(text.as_bytes()),
                ),
                Err(message) => fail(None, format!("export: {message}")),
            })
        }
    }
}

/// Runs `f` on this worker's catalog, or answers that there is none.
fn with_session(f: impl FnOnce(u32, &mut Held)) {
    SESSION.with(|s| match &mut *s.borrow_mut() {
        Some((built, held)) => f(*built, held),
        None => fail(None, "no catalog has been clustered yet".into()),
    });
}

/// Opens an upload's files: a saved model, a ratings file and the catalog
/// are told apart by their first bytes; a workbook's first sheet with a
/// table is read; the catalog is inspected for the mapping step.
async fn open(names: &[String], files: Vec<Input>) -> Result<(Upload, Opened), WebError> {
    let name = |i: usize| names.get(i).cloned().unwrap_or_default();
    let mut kinds = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        kinds.push(sniff(file.file()).map_err(within(name(i)))?);
    }
    // The first saved model is the upload's model; any other file is
    // read as a catalog or its ratings.
    let model_slot = kinds.iter().position(|&k| k == FileKind::SavedModel);
    let model = match model_slot {
        Some(slot) => {
            let saved = read_model(&files[slot], &name(slot))?;
            Some((slot, name(slot), saved))
        }
        None => None,
    };
    let rest: Vec<usize> = (0..files.len())
        .filter(|&i| Some(i) != model_slot)
        .collect();
    let (catalog, ratings) = match rest[..] {
        [] => (None, None),
        [only] => (Some(only), None),
        [a, b] => match (kinds[a] == FileKind::Ratings, kinds[b] == FileKind::Ratings) {
            (false, true) => (Some(a), Some(b)),
            (true, false) => (Some(b), Some(a)),
            _ => return Err(
                "with two files, one must be the catalog's ratings (MovieLens ratings.csv or IMDb title.ratings.tsv) or a saved model".into(),
            ),
        },
        _ => return Err(
            "choose one catalog file, or a catalog and its ratings file (two files at most, and a saved model)".into(),
        ),
    };
    let upload = Upload {
        files,
        catalog,
        ratings,
        model,
        sheet: None,
    };
    match catalog {
        Some(c) if kinds[c] == FileKind::Workbook => reread_sheet(upload, None, &name(c)).await,
        _ => describe(upload, names),
    }
}

/// Reads another sheet of the opened workbook.
async fn reread(upload: Upload, sheet: String) -> Result<(Upload, Opened), WebError> {
    reread_sheet(upload, Some(sheet), "the workbook").await
}

async fn reread_sheet(
    mut upload: Upload,
    sheet: Option<String>,
    name: &str,
) -> Result<(Upload, Opened), WebError> {
    let Some(c) = upload.catalog else {
        return Err("no workbook is open".into());
    };
    let read = read_elsewhere(&upload.files[c], sheet)
        .await
        .map_err(|e| WebError::Refused(format!("{name}: {e}")))?;
    upload.sheet = Some(read);
    describe(upload, &[])
}

/// What the page is told of an opened upload.
fn describe(upload: Upload, names: &[String]) -> Result<(Upload, Opened), WebError> {
    let inspection = match (&upload.sheet, upload.catalog) {
        (Some(sheet), _) => Some(inspect(bytes_file(&sheet.csv))?),
        (None, Some(c)) => Some(
            inspect(upload.files[c].file())
                .map_err(within(names.get(c).cloned().unwrap_or_default()))?,
        ),
        (None, None) => None,
    };
    let opened = Opened {
        catalog: upload.catalog,
        ratings: upload.ratings,
        model: upload.model.as_ref().map(|(slot, _, saved)| OpenedModel {
            slot: *slot,
            k: saved.centroids.len(),
            spec: saved.pipeline.spec().clone(),
        }),
        sheets: upload
            .sheet
            .as_ref()
            .map(|s| (s.sheet.clone(), s.sheets.clone())),
        inspection,
    };
    Ok((upload, opened))
}

fn bytes_file(bytes: &[u8]) -> crate::upload::InputFile<'_> {
    crate::upload::InputFile::new(bytes, bytes.len() as u64)
}

/// A saved model's file (`name`), read and checked.
fn read_model(file: &Input, name: &str) -> Result<SavedModel, WebError> {
    if file.file().size > MODEL_BYTES {
        return Err(WebError::Refused(format!(
            "{name}: a saved model this large cannot be right (more than 64 MB)"
        )));
    }
    let text = file.text(MODEL_BYTES)?;
    SavedModel::from_json(&String::from_utf8_lossy(&text)).map_err(within(name))
}

/// Builds a catalog: from the files sent with the build, else from the
/// opened upload; then keeps it, tells the page, and starts its elbow curve.
async fn start_build(choice: Build, files: Vec<Input>) {
    let job = choice.job;
    let opened = OPENED.with(|o| o.borrow_mut().take());
    let result = match (&choice.split, files.is_empty(), opened) {
        (Some(base), false, _) => open_split(&choice, &files[0], base.clone()),
        (None, false, _) => build_from(&choice, files).await,
        (None, true, Some(upload)) => build_opened(&choice, upload).await,
        _ => Err("nothing to build: no file was sent or opened".into()),
    };
    match result {
        Ok(Built {
            held,
            overview,
            notes,
            elbow,
        }) => {
            SESSION.with(|s| *s.borrow_mut() = Some((job, held)));
            post::<CatalogRole>(&CatalogResponse::Built {
                job,
                overview: Box::new(overview.clone()),
                notes,
            });
            let titles = overview.titles;
            let rows =
                elbow.map(|(rows, cols, values, seed)| (job, rows, cols, values, seed, titles));
            ELBOW_ROWS.with(|e| *e.borrow_mut() = rows);
        }
        Err(e) => fail(Some(job), e.to_string()),
    }
}

/// Builds the opened upload as the user confirmed it.
async fn build_opened(choice: &Build, upload: Upload) -> Result<Built, WebError> {
    let Some(c) = upload.catalog else {
        return Err("the upload has no catalog".into());
    };
    let model = match (&choice.model, &upload.model) {
        (Some(ModelChoice::Opened), Some((_, name, saved))) => Some((name.clone(), saved.clone())),
        _ => None,
    };
    let (catalog, sheet) = match upload.sheet {
        Some(read) => {
            let bytes = std::rc::Rc::new(read.csv);
            (Input::Bytes(bytes.clone()), Some(bytes))
        }
        None => (upload.files[c].clone(), None),
    };
    let ratings = upload.ratings.map(|r| upload.files[r].clone());
    build(choice, catalog, ratings, model, sheet.map(|b| b.to_vec())).await
}

/// Builds from the files sent with the build: the catalog (a workbook's
/// sheet read first), its ratings, and a saved model after them.
async fn build_from(choice: &Build, files: Vec<Input>) -> Result<Built, WebError> {
    let mut files = files.into_iter();
    let catalog = files.next().ok_or("no catalog was sent")?;
    let mut ratings = None;
    let mut model = None;
    for file in files {
        match sniff(file.file())? {
            FileKind::SavedModel => {
                let name = match &choice.model {
                    Some(ModelChoice::Sent { name }) => name.clone(),
                    _ => "the saved model".into(),
                };
                let saved = read_model(&file, &name)?;
                model = Some((name, saved));
            }
            _ => ratings = Some(file),
        }
    }
    if let Some(ModelChoice::Site { name, json }) = &choice.model {
        let saved = SavedModel::from_json(json).map_err(within(name.clone()))?;
        model = Some((name.clone(), saved));
    }
    let (catalog, sheet) = match &choice.sheet {
        Some(sheet) => {
            let read = read_elsewhere(&catalog, Some(sheet.clone())).await?;
            let bytes = std::rc::Rc::new(read.csv);
            (Input::Bytes(bytes.clone()), Some(bytes.to_vec()))
        }
        None => (catalog, None),
    };
    build(choice, catalog, ratings, model, sheet).await
}

/// Starts the elbow worker on the rows the build sampled; its points go to
/// the page as this catalog's.
fn start_elbow(job: u32, rows: usize, cols: usize, values: &[f32], seed: u64, titles: usize) {
    let request = ElbowRequest {
        rows,
        cols,
        seed,
        k_min: ELBOW_K_MIN,
        k_max: elbow_k_max(titles),
    };
    let k_max = request.k_max;
    let started = fit_elsewhere(
        request,
        values,
        move |point| {
            post::<CatalogRole>(&CatalogResponse::ElbowPoint { job, point });
            if point.k >= k_max {
                end_elbow();
            }
        },
        |message| {
            // Not the build's failure: the catalog is fine, its curve is not.
            fail(None, format!("elbow curve: {message}"));
            end_elbow();
        },
    );
    match started {
        Ok(bridge) => ELBOW.with(|e| *e.borrow_mut() = Some(bridge)),
        Err(message) => fail(None, format!("elbow curve: {message}")),
    }
}

/// Ends the elbow worker (after its callbacks return).
fn end_elbow() {
    wasm_bindgen_futures::spawn_local(async {
        ELBOW.with(|e| drop(e.borrow_mut().take()));
    });
}

/// The export a request asks for: the model, or the catalog with clusters,
/// keeping the columns of the catalog's own file when the page sent it (or
/// of the sheet it was read from).
fn export(
    held: &Held,
    model: bool,
    file: Option<Input>,
) -> Result<(&'static str, &'static str, String), WebError> {
    let (session, sheet) = match held {
        Held::Whole { session, sheet } => (session, sheet),
        Held::Split { catalog, .. } => {
            return Err(WebError::Refused(if model {
                "the site's model.json is this catalog's model".to_string()
            } else {
                format!("this catalog's {} titles are split into per-cluster files on the site (split/clusters/); they are its export", crate::text::thousands(catalog.len()))
            }))
        }
    };
    if model {
        return Ok((
            "reelmeans-model.json",
            "application/json",
            session.export_model(),
        ));
    }
    let own_text = match (sheet, file) {
        (Some(sheet), _) => Some(sheet.clone()),
        // IMDb's dump, filtered as it was read: the catalog's own columns.
        (None, Some(file)) if !is_imdb_dump(&file)? => Some(file.text(WHOLE_FILE_LIMIT)?),
        _ => None,
    };
    let csv = match own_text {
        Some(text) => session.export_file_csv(text)?,
        None => session.export_csv(),
    };
    Ok(("reelmeans-clusters.csv", "text/csv", csv))
}

/// Whether a file is IMDb's title.basics dump (far more than a catalog keeps).
fn is_imdb_dump(file: &Input) -> Result<bool, WebError> {
    let file = file.file();
    let (mut text, _) = crate::catalog::stream::open(file.reader, file.size);
    let head = std::io::BufRead::fill_buf(&mut text).map_err(crate::catalog::stream::read_error)?;
    Ok(crate::catalog::imdb::is_basics(head))
}

/// A file of this site's own origin, read synchronously (a worker may).
fn fetch_sync(url: &str) -> Result<Vec<u8>, WebError> {
    let failed = |e: JsValue| WebError::Site {
        url: url.into(),
        why: format!("{e:?}"),
    };
    let request = web_sys::XmlHttpRequest::new().map_err(failed)?;
    request.open_with_async("GET", url, false).map_err(failed)?;
    request.send().map_err(failed)?;
    match request.status().map_err(failed)? {
        200 => Ok(request
            .response_text()
            .map_err(failed)?
            .unwrap_or_default()
            .into_bytes()),
        status => Err(WebError::Site {
            url: url.into(),
            why: format!("the site answered {status}"),
        }),
    }
}
