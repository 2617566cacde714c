//! The web worker: parses, scales and clusters off the main thread, posting
//! progress as it goes, then keeps the clustered catalog as a [`Session`]
//! and answers the page's queries about it (search, the movie panel,
//! exports). Another instance fits the elbow curve on rows a build sent.
//! The page runs one worker per build and keeps the one holding the catalog
//! in use; see [`super::app::Ctx`].

use super::protocol::{decode, encode, Request, Response};
use crate::catalog::{column_examples, infer_roles, Catalog};
use crate::clustered::{ClusteredCatalog, Stage};
use crate::kmeans::{elbow, KMeansParams};
use crate::session::{Overview, Session, SILHOUETTE_ROWS};
use crate::table::Table;
use crate::taste::learn_from_ratings_file;
use js_sys::{Array, Uint8Array};
use ndarray::Array2;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    /// The catalog this worker built, and its build job.
    static SESSION: RefCell<Option<(u32, Session)>> = const { RefCell::new(None) };
}

/// Suggestions per search.
const SEARCH_LIMIT: usize = 8;

/// Least time between two progress messages.
const PROGRESS_INTERVAL_MS: f64 = 60.0;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    post_with(response, None);
}

/// Posts a response with a file in slot 1 (transferred, not copied).
fn post_with(response: &Response, file: Option<&[u8]>) {
    let bytes = encode(response)
        .or_else(|message| encode(&Response::Failed { job: None, message }))
        .unwrap_or_default();
    let array = Uint8Array::from(bytes.as_slice());
    let (message, transfer) = (Array::of1(&array), Array::of1(&array.buffer()));
    if let Some(file) = file {
        let file = Uint8Array::from(file);
        message.push(&file);
        transfer.push(&file.buffer());
    }
    let _ = scope().post_message_with_transfer(&message, &transfer);
}

/// Runs `f` on this worker's catalog, or answers that there is none.
fn with_session(f: impl FnOnce(u32, &Session)) {
    SESSION.with(|s| match &*s.borrow() {
        Some((built, session)) => f(*built, session),
        None => post(&Response::Failed {
            job: None,
            message: "no catalog has been clustered yet".into(),
        }),
    });
}

/// The bytes in a message slot: a `Uint8Array`, or a `Blob` (a file the
/// page passed by reference), read here rather than on the page's thread.
fn read_slot(parts: &Array, slot: u32) -> Result<Option<Vec<u8>>, String> {
    let value = parts.get(slot);
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(Some(array.to_vec()));
    }
    let Some(blob) = value.dyn_ref::<web_sys::Blob>() else {
        return Ok(None);
    };
    let unreadable = |e: JsValue| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"));
        format!("cannot read the file (was it changed or moved since it was chosen?): {why}")
    };
    let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
    let buffer = reader.read_as_array_buffer(blob).map_err(unreadable)?;
    Ok(Some(Uint8Array::new(&buffer).to_vec()))
}

/// Registers the message handler; called from the worker binary's `main`.
pub fn start_worker() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let parts: Array = event.data().unchecked_into();
        let request =
            read_slot(&parts, 0).and_then(|bytes| decode::<Request>(&bytes.unwrap_or_default()));
        let files = read_slot(&parts, 1).and_then(|a| Ok((a, read_slot(&parts, 2)?)));
        match (request, files) {
            (Ok(request), Ok((first, second))) => handle(request, first, second),
            (Err(message), _) => post(&Response::Failed { job: None, message }),
            (Ok(request), Err(message)) => post(&Response::Failed {
                job: request.job(),
                message,
            }),
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // lives as long as the worker
    post(&Response::Ready);
}

fn handle(request: Request, file: Option<Vec<u8>>, ratings: Option<Vec<u8>>) {
    match request {
        Request::Inspect { name } => post(&inspect(name, file.unwrap_or_default())),
        Request::Build {
            job,
            roles,
            spec,
            k,
            seed,
        } => {
            match build(
                job,
                file.unwrap_or_default(),
                ratings,
                roles,
                &spec,
                k,
                seed,
            ) {
                Ok((session, overview, notes)) => {
                    let rows = session.elbow_rows();
                    let bytes: Vec<u8> = rows.iter().flat_map(|x| x.to_le_bytes()).collect();
                    let seed = session.data().params().get_seed();
                    SESSION.with(|s| *s.borrow_mut() = Some((job, session)));
                    post_with(
                        &Response::Built {
                            job,
                            overview: Box::new(overview),
                            notes,
                            elbow_rows: rows.nrows(),
                            features: rows.ncols(),
                            seed,
                        },
                        Some(&bytes),
                    );
                }
                Err(message) => post(&Response::Failed {
                    job: Some(job),
                    message,
                }),
            }
        }
        Request::Users { job } => {
            let settings = crate::evaluate::EvalSettings::default();
            let response = match crate::evaluate::user_report(
                &file.unwrap_or_default(),
                &ratings.unwrap_or_default(),
                &settings,
            ) {
                Ok(report) => Response::Users {
                    job,
                    report: Box::new(report),
                },
                Err(message) => Response::Failed {
                    job: Some(job),
                    message,
                },
            };
            post(&response);
        }
        Request::Elbow {
            job,
            rows,
            cols,
            seed,
            k_min,
            k_max,
        } => {
            if let Err(message) = fit_elbow(
                job,
                &file.unwrap_or_default(),
                rows,
                cols,
                seed,
                (k_min, k_max),
            ) {
                // Not the build's failure: the catalog is fine, its curve is not.
                post(&Response::Failed {
                    job: None,
                    message: format!("elbow curve: {message}"),
                });
            }
        }
        Request::Search { query } => with_session(|built, session| {
            post(&Response::Hits {
                job: built,
                hits: session.search(&query, SEARCH_LIMIT),
                query,
            })
        }),
        Request::Card {
            selection,
            watched,
            liked,
        } => with_session(|built, session| {
            let card = Box::new(session.card(selection.as_ref(), &watched, &liked));
            post(&Response::Card {
                job: built,
                selection,
                card,
            })
        }),
        Request::Export { model } => with_session(|_, session| {
            let (name, mime, text) = if model {
                (
                    "reelmeans-model.json",
                    "application/json",
                    session.export_model(),
                )
            } else {
                ("reelmeans-clusters.csv", "text/csv", session.export_csv())
            };
            post_with(
                &Response::Exported {
                    name: name.into(),
                    mime: mime.into(),
                },
                Some(text.as_bytes()),
            );
        }),
    }
}

/// Fits the elbow curve on `bytes` (rows × cols little-endian f32), posting each point.
fn fit_elbow(
    job: u32,
    bytes: &[u8],
    rows: usize,
    cols: usize,
    seed: u64,
    (k_min, k_max): (usize, usize),
) -> Result<(), String> {
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let matrix = Array2::from_shape_vec((rows, cols), values).map_err(|e| e.to_string())?;
    let base = KMeansParams::new(1).seed(seed);
    elbow(
        matrix.view(),
        k_min,
        k_max,
        &base,
        SILHOUETTE_ROWS,
        &mut |point| post(&Response::Elbow { job, point: *point }),
    )
    .map(drop)
    .map_err(|e| e.to_string())
}

/// Bytes read to infer roles and show a preview: enough for hundreds of rows.
const PREVIEW_BYTES: usize = 1 << 20;

fn inspect(name: String, bytes: Vec<u8>) -> Response {
    // A preview needs the head of the file, not all of it.
    match Table::parse(crate::table::head_sample(&bytes, PREVIEW_BYTES)) {
        Ok(table) => Response::Inspected {
            roles: infer_roles(&table.headers, &table.rows),
            examples: column_examples(table.headers.len(), &table.rows, 3),
            rows: if bytes.len() <= PREVIEW_BYTES {
                table.rows.len()
            } else {
                crate::table::approximate_rows(&bytes)
            },
            headers: table.headers,
            name,
        },
        Err(e) => Response::Failed {
            job: None,
            message: format!("{name}: {e}"),
        },
    }
}

/// A progress reporter that posts at most every [`PROGRESS_INTERVAL_MS`],
/// except that a new step is always posted (a step that follows a dropped
/// report may run long, and the screen would name the one before).
fn throttled(job: u32) -> impl FnMut(Stage) {
    let mut last = 0.0;
    let mut last_stage: Option<Stage> = None;
    move |stage| {
        let now = js_sys::Date::now();
        let new_step = last_stage.is_none_or(|l| !l.same_step(&stage));
        if now - last >= PROGRESS_INTERVAL_MS || new_step {
            last = now;
            last_stage = Some(stage);
            post(&Response::Progress { job, stage });
        }
    }
}

fn build(
    job: u32,
    file: Vec<u8>,
    ratings: Option<Vec<u8>>,
    roles: Option<Vec<crate::catalog::ColumnRole>>,
    spec: &crate::features::FeatureSpec,
    k: Option<usize>,
    seed: u64,
) -> Result<(Session, Overview, Vec<String>), String> {
    let mut progress = throttled(job);
    progress(Stage::Parsing(0.0));
    // Record by record: the rows never exist as a table of text cells.
    let (mut catalog, _) =
        Catalog::parse_streaming(file, roles, &mut progress).map_err(|e| e.to_string())?;
    let mut notes = Vec::new();
    if let Some(ratings) = ratings {
        let joined = catalog
            .attach_ratings(&ratings)
            .map_err(|e| e.to_string())?;
        notes.push(format!(
            "ratings joined for {joined} of {} titles",
            catalog.len()
        ));
        // Ratings per user (MovieLens ratings.csv) also say who loves what.
        match learn_from_ratings_file(&mut catalog, &ratings, &mut progress) {
            Some(Ok(summary)) => notes.push(summary.describe()),
            Some(Err(e)) => notes.push(format!("no taste factors: {e}")),
            None => {}
        }
    }
    if catalog.issues.total > 0 {
        let first = catalog
            .issues
            .examples
            .first()
            .map(|i| format!(" (first: {i})"))
            .unwrap_or_default();
        notes.push(format!(
            "{} rows left out: {}{first}",
            catalog.issues.total,
            catalog.issues.summary()
        ));
    }
    let k = k
        .unwrap_or_else(|| crate::clustered::default_k(catalog.len()))
        .min(catalog.len());
    // Four shards, one after another (no threads here): the same clusters
    // as one, and progress between them during a long assignment.
    let params = KMeansParams::new(k).seed(seed).threads(4);
    // k-means time, from the first seeding report to projection (std's clock is not on wasm32).
    let (mut kmeans_start, mut kmeans_end) = (None::<f64>, None::<f64>);
    let data = ClusteredCatalog::build(catalog, spec, &params, &mut |stage| {
        match stage {
            Stage::Seeding(_) if kmeans_start.is_none() => kmeans_start = Some(js_sys::Date::now()),
            Stage::Projecting => kmeans_end = Some(js_sys::Date::now()),
            _ => {}
        }
        progress(stage);
    })
    .map_err(|e| e.to_string())?;
    if let (Some(start), Some(end)) = (kmeans_start, kmeans_end) {
        notes.push(format!(
            "k-means: {:.2} s (k = {k}, seed {seed})",
            (end - start) / 1000.0
        ));
    }
    let session = Session::with_progress(data, &mut progress);
    let overview = session.overview_with_progress(&mut progress);
    Ok((session, overview, notes))
}
