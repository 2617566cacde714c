//! The web worker: parses, scales and clusters off the main thread, posting
//! progress as it goes, then keeps the clustered catalog as a [`Session`]
//! and answers the page's queries about it (search, the movie panel,
//! exports). Another instance fits the elbow curve on rows a build sent.
//! The page runs one worker per build and keeps the one holding the catalog
//! in use; see [`super::app::Ctx`].

use super::protocol::{decode, encode, ModelFile, Request, Response};
use super::shards;
use super::state::counted;
use crate::catalog::formats::read_columns;
use crate::catalog::imdb::is_basics;
use crate::catalog::json::{is_json, json_to_csv};
use crate::catalog::sheet::is_workbook;
use crate::catalog::stream::{self, KeptLimit};
use crate::catalog::{column_examples, infer_roles, CatalogError};
use crate::clustered::{fit_progress, ClusteredCatalog, Stage};
use crate::kmeans::{elbow, KMeansModel, KMeansParams, Shard};
use crate::model::SavedModel;
use crate::session::{Overview, Session, SILHOUETTE_ROWS};
use crate::split::{cluster_file, SplitCatalog, TITLE_LIST_LIMIT};
use crate::table::Table;
use crate::upload::{InputFile, Loaded, Upload};
use js_sys::{Array, Uint8Array};
use ndarray::Array2;
use std::borrow::Cow;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    /// The catalog this worker built, and its build job.
    static SESSION: RefCell<Option<(u32, Held)>> = const { RefCell::new(None) };
    /// The rows and state of a shard worker (see [`super::shards`]).
    static SHARD: RefCell<Option<Shard<'static>>> = const { RefCell::new(None) };
}

/// What a build leaves in the worker.
enum Held {
    /// A whole clustered catalog.
    Whole(Box<Session>),
    /// A prepared catalog beyond one tab: its title list, and the cluster
    /// files under `base` (an absolute URL of the site's own origin).
    Split {
        catalog: Box<SplitCatalog>,
        base: String,
    },
}

/// Suggestions per search.
const SEARCH_LIMIT: usize = 8;

/// Least time between two progress messages.
const PROGRESS_INTERVAL_MS: f64 = 60.0;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub(super) fn post(response: &Response) {
    post_with(response, None);
}

/// Posts a response with a file in slot 1 (transferred, not copied).
pub(super) fn post_with(response: &Response, file: Option<&[u8]>) {
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
fn with_session(f: impl FnOnce(u32, &mut Held)) {
    SESSION.with(|s| match &mut *s.borrow_mut() {
        Some((built, held)) => f(*built, held),
        None => post(&Response::Failed {
            job: None,
            message: "no catalog has been clustered yet".into(),
        }),
    });
}

/// A file of this site's own origin, read synchronously (a worker may).
fn fetch_sync(url: &str) -> Result<Vec<u8>, String> {
    let failed = |e: JsValue| format!("{url}: {e:?}");
    let request = web_sys::XmlHttpRequest::new().map_err(failed)?;
    request.open_with_async("GET", url, false).map_err(failed)?;
    request.send().map_err(failed)?;
    match request.status().map_err(failed)? {
        200 => Ok(request
            .response_text()
            .map_err(failed)?
            .unwrap_or_default()
            .into_bytes()),
        status => Err(format!("{url}: the site answered {status}")),
    }
}

/// A file in a message slot: bytes the page made (`Uint8Array`), or a
/// `Blob` (a file the page passed by reference), read here in slices as
/// it is needed, never whole.
pub(super) enum Input {
    Bytes(Vec<u8>),
    Blob(web_sys::Blob),
}

impl Input {
    fn size(&self) -> u64 {
        match self {
            Input::Bytes(b) => b.len() as u64,
            Input::Blob(b) => b.size() as u64,
        }
    }

    /// The file as a stream of bytes.
    pub(super) fn into_file(self) -> InputFile<'static> {
        let size = self.size();
        match self {
            Input::Bytes(b) => InputFile::new(std::io::Cursor::new(b), size),
            Input::Blob(blob) => InputFile::new(BlobReader { blob, offset: 0.0 }, size),
        }
    }

    /// The whole text (inflated, when gzip), up to `limit` bytes.
    pub(super) fn into_text(self, limit: u64) -> Result<Vec<u8>, String> {
        let file = self.into_file();
        let (mut text, share) = stream::open(file.reader, file.size);
        stream::read_all(text.as_mut(), &share, limit, &mut |_| {}).map_err(|e| e.to_string())
    }

    /// The whole text, as [`Input::into_text`], or `None` for IMDb's
    /// title.basics dump (known from its head; far more than a catalog keeps).
    fn into_text_unless_imdb(self) -> Result<Option<Vec<u8>>, String> {
        let file = self.into_file();
        let (mut text, share) = stream::open(file.reader, file.size);
        if is_basics(text.fill_buf().map_err(|e| e.to_string())?) {
            return Ok(None);
        }
        stream::read_all(text.as_mut(), &share, WHOLE_FILE_LIMIT, &mut |_| {})
            .map(Some)
            .map_err(|e| e.to_string())
    }
}

/// Reads a `Blob` in slices of [`stream::READ_CHUNK`] bytes with the
/// worker's synchronous `FileReaderSync`.
struct BlobReader {
    blob: web_sys::Blob,
    offset: f64,
}

impl std::io::Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let end = (self.offset + buf.len().min(stream::READ_CHUNK) as f64).min(self.blob.size());
        if end <= self.offset {
            return Ok(0);
        }
        let unreadable = |e: JsValue| {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| format!("{e:?}"));
            std::io::Error::other(format!(
                "was it changed or moved since it was chosen? {why}"
            ))
        };
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.offset, end)
            .map_err(unreadable)?;
        let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
        let buffer = reader.read_as_array_buffer(&slice).map_err(unreadable)?;
        let array = Uint8Array::new(&buffer);
        let n = array.length() as usize;
        array.copy_to(&mut buf[..n]);
        self.offset += n as f64;
        Ok(n)
    }
}

/// The file in a message slot, if any.
pub(super) fn input(parts: &Array, slot: u32) -> Option<Input> {
    let value = parts.get(slot);
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Some(Input::Bytes(array.to_vec()));
    }
    value.dyn_into::<web_sys::Blob>().ok().map(Input::Blob)
}

/// Registers the message handler; called from the worker binary's `main`.
pub fn start_worker() {
    serve(handle);
}

/// Installs `handle` as this worker's message handler (a request, and the
/// message's parts: up to two files after it, read with [`input`]) and
/// tells the page the worker is ready.
pub(super) fn serve(handle: impl Fn(Request, &Array) + 'static) {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let parts: Array = event.data().unchecked_into();
        let request = match input(&parts, 0) {
            Some(Input::Bytes(bytes)) => decode::<Request>(&bytes),
            _ => Err("a message without a request".to_string()),
        };
        match request {
            Ok(request) => handle(request, &parts),
            Err(message) => post(&Response::Failed { job: None, message }),
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // lives as long as the worker
    post(&Response::Ready);
}

/// Most bytes of text the users view and the elbow read (they need their files whole).
const WHOLE_FILE_LIMIT: u64 = KeptLimit::DEFAULT.bytes;

fn handle(request: Request, parts: &Array) {
    let missing = || Input::Bytes(Vec::new());
    let (file, ratings) = (input(parts, 1), input(parts, 2));
    match request {
        Request::ShardRows { dim, first } => match shards::floats(parts, 1) {
            Some(rows) => {
                SHARD.with(|s| *s.borrow_mut() = Some(Shard::new(Cow::Owned(rows), dim, first)))
            }
            None => post(&Response::Failed {
                job: None,
                message: "a k-means shard was sent no rows".into(),
            }),
        },
        Request::Shard(order) => SHARD.with(|s| match &mut *s.borrow_mut() {
            Some(shard) => post(&Response::Shard(shard.obey(&order))),
            None => post(&Response::Failed {
                job: None,
                message: "this worker holds no k-means shard".into(),
            }),
        }),
        Request::Inspect { name } => post(&inspect(name, file.unwrap_or_else(missing))),
        Request::Sheet { name, .. } => post(&Response::Failed {
            job: None,
            message: format!("{name}: spreadsheets are read by the spreadsheet worker"),
        }),
        Request::Build {
            job,
            seed,
            model,
            split: Some(base),
            ..
        } => match open_split(job, file.unwrap_or_else(missing), model, base) {
            Ok((held, overview, notes)) => {
                SESSION.with(|s| *s.borrow_mut() = Some((job, held)));
                // No rows for the elbow curve: no title's features are here.
                post(&Response::Built {
                    job,
                    overview: Box::new(overview),
                    notes,
                    elbow_rows: 0,
                    features: 0,
                    seed,
                });
            }
            Err(message) => post(&Response::Failed {
                job: Some(job),
                message,
            }),
        },
        Request::Build {
            job,
            roles,
            filter,
            spec,
            k,
            seed,
            model,
            split: None,
            shards,
        } => {
            let upload = Upload {
                ratings: ratings.map(Input::into_file),
                roles,
                filter,
                ..Upload::new(file.unwrap_or_else(missing).into_file())
            };
            // k-means may wait for shard workers: the build runs as a task.
            wasm_bindgen_futures::spawn_local(async move {
                match build(job, upload, &spec, k, seed, model, shards).await {
                    Ok((session, overview, notes)) => {
                        let rows = session.elbow_rows();
                        let bytes: Vec<u8> = rows.iter().flat_map(|x| x.to_le_bytes()).collect();
                        let seed = session.data().params().get_seed();
                        SESSION.with(|s| {
                            *s.borrow_mut() = Some((job, Held::Whole(Box::new(session))))
                        });
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
            });
        }
        Request::Users { job } => {
            let settings = crate::evaluate::EvalSettings::default();
            let texts = file
                .unwrap_or_else(missing)
                .into_text(WHOLE_FILE_LIMIT)
                .and_then(|a| {
                    Ok((
                        a,
                        ratings
                            .unwrap_or_else(missing)
                            .into_text(WHOLE_FILE_LIMIT)?,
                    ))
                });
            let response = match texts.and_then(|(first, second)| {
                crate::evaluate::user_report(&first, &second, &settings)
            }) {
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
            // Rows of floats the page made: bytes, never a file.
            let Some(Input::Bytes(bytes)) = file else {
                return post(&Response::Failed {
                    job: None,
                    message: "elbow curve: no rows were sent".into(),
                });
            };
            if let Err(message) = fit_elbow(job, &bytes, rows, cols, seed, (k_min, k_max)) {
                // Not the build's failure: the catalog is fine, its curve is not.
                post(&Response::Failed {
                    job: None,
                    message: format!("elbow curve: {message}"),
                });
            }
        }
        Request::Search { query } => with_session(|built, held| {
            let hits = match held {
                Held::Whole(session) => session.search(&query, SEARCH_LIMIT),
                Held::Split { catalog, .. } => catalog.search(&query, SEARCH_LIMIT),
            };
            post(&Response::Hits {
                job: built,
                hits,
                query,
            })
        }),
        Request::Card {
            selection,
            watched,
            liked,
        } => with_session(|built, held| {
            let card = match held {
                Held::Whole(session) => session.card(selection.as_ref(), &watched, &liked),
                Held::Split { catalog, base } => {
                    if let Some(c) = catalog.needs(selection.as_ref()) {
                        // The selection's cluster, from the site; on failure the loaded one stays.
                        let url = format!("{base}{}", cluster_file(c));
                        if let Err(message) = fetch_sync(&url).and_then(|bytes| {
                            catalog.load(c, bytes).map_err(|e| format!("{url}: {e}"))
                        }) {
                            return post(&Response::Failed {
                                job: None,
                                message: format!("cluster {}: {message}", c + 1),
                            });
                        }
                    }
                    catalog.card(selection.as_ref(), &watched, &liked)
                }
            };
            post(&Response::Card {
                job: built,
                selection,
                card: Box::new(card),
            })
        }),
        Request::Export { model } => with_session(|_, held| {
            let session = match held {
                Held::Whole(session) => session,
                Held::Split { catalog, .. } => {
                    let message = if model {
                        "export: the site's model.json is this catalog's model".to_string()
                    } else {
                        format!("export: this catalog's {} titles are split into per-cluster files on the site (split/clusters/); they are its export", crate::text::thousands(catalog.len()))
                    };
                    return post(&Response::Failed { job: None, message });
                }
            };
            let made = if model {
                Ok((
                    "reelmeans-model.json",
                    "application/json",
                    session.export_model(),
                ))
            } else {
                // The catalog's own file, when the page sent it: its columns are kept.
                let csv = match file.map(Input::into_text_unless_imdb).transpose() {
                    Ok(Some(Some(text))) => session.export_file_csv(text),
                    // IMDb's dump, filtered as it was read: the catalog's own columns.
                    Ok(_) => Ok(session.export_csv()),
                    Err(message) => Err(message),
                };
                csv.map(|csv| ("reelmeans-clusters.csv", "text/csv", csv))
            };
            match made {
                Ok((name, mime, text)) => post_with(
                    &Response::Exported {
                        name: name.into(),
                        mime: mime.into(),
                    },
                    Some(text.as_bytes()),
                ),
                Err(message) => post(&Response::Failed {
                    job: None,
                    message: format!("export: {message}"),
                }),
            }
        }),
    }
}

/// Opens a split catalog: its title list (`file`) and its model; no
/// cluster is loaded until a selection needs one.
fn open_split(
    job: u32,
    file: Input,
    model: Option<ModelFile>,
    base: String,
) -> Result<(Held, Overview, Vec<String>), String> {
    let mut progress = throttled(job);
    progress(Stage::Reading(0.0));
    let ModelFile { name, json } =
        model.ok_or("a split catalog needs its model (the site names none)")?;
    let saved = SavedModel::from_json(&json).map_err(|e| format!("{name}: {e}"))?;
    let text = file.into_text(TITLE_LIST_LIMIT)?;
    let catalog =
        SplitCatalog::open(text, saved, &mut progress).map_err(|e| format!("{base}: {e}"))?;
    let overview = catalog.overview();
    let notes = vec![format!(
        "{} titles in {} per-cluster files: a selection loads its cluster's file from the site; clusters from the model {name} (no k-means run; re-clustering needs every title in one tab, so Re-cluster keeps them)",
        crate::text::thousands(catalog.len()),
        overview.k
    )];
    Ok((
        Held::Split {
            catalog: Box::new(catalog),
            base,
        },
        overview,
        notes,
    ))
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

fn inspect(name: String, file: Input) -> Response {
    match preview(file) {
        Ok(Preview {
            table,
            rows,
            approximate,
            imdb,
        }) => Response::Inspected {
            roles: infer_roles(&table.headers, &table.rows),
            readings: read_columns(table.headers.len(), &table.rows),
            examples: column_examples(table.headers.len(), &table.rows, 3),
            imdb,
            rows,
            approximate,
            headers: table.headers,
            name,
        },
        Err(e) => Response::Failed {
            job: None,
            message: format!("{name}: {e}"),
        },
    }
}

/// What the mapping step shows of a file before it is read.
struct Preview {
    /// The head of the file as a table.
    table: Table,
    /// Data rows in the whole file.
    rows: usize,
    /// `rows` is an estimate.
    approximate: bool,
    /// The file is IMDb's title.basics dump.
    imdb: bool,
}

fn preview(file: Input) -> Result<Preview, CatalogError> {
    // A preview needs the head of the file (inflated, when gzip), not all of it.
    let file = file.into_file();
    let (mut text, share) = stream::open(file.reader, file.size);
    let mut head = stream::read_head(text.as_mut(), PREVIEW_BYTES)?;
    if is_workbook(&head) {
        return Err(not_named_as_a_spreadsheet());
    }
    let json = is_json(&head);
    if json {
        // JSON cannot be cut at a line break: it is read whole (within the
        // kept limit) and previewed as the table it becomes.
        if head.len() >= PREVIEW_BYTES {
            let rest =
                stream::read_all(text.as_mut(), &share, KeptLimit::DEFAULT.bytes, &mut |_| {})?;
            head.extend(rest);
        }
        head = json_to_csv(&head)?;
    }
    let table = Table::parse(crate::table::head_sample(&head, PREVIEW_BYTES))?;
    // A plain file's line breaks are counted to its end (a slice at a time);
    // a gzip file's rows are estimated from the share of it the head took
    // (inflating 1 GB to count would take seconds).
    let (rows, approximate) = if head.len() < PREVIEW_BYTES {
        (table.rows.len(), false)
    } else if json {
        (crate::table::approximate_rows(&head), false)
    } else if share.is_gzip() {
        let estimate =
            crate::table::approximate_rows(&head) as f64 / share.share().max(1e-9) as f64;
        (estimate as usize, true)
    } else {
        (stream::count_rows(&head, text.as_mut())?, false)
    };
    Ok(Preview {
        table,
        rows,
        approximate,
        imdb: is_basics(&head),
    })
}

/// A workbook reaches this worker only when its name hides what it is
/// (the page sends `.xlsx`, `.xlsm` and `.ods` files to the spreadsheet
/// worker first).
fn not_named_as_a_spreadsheet() -> CatalogError {
    CatalogError::Spreadsheet(
        "it is a workbook under another name: give it its .xlsx or .ods name and open it again"
            .into(),
    )
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

async fn build(
    job: u32,
    upload: Upload<'_>,
    spec: &crate::features::FeatureSpec,
    k: Option<usize>,
    seed: u64,
    model: Option<ModelFile>,
    chosen_shards: Option<u32>,
) -> Result<(Session, Overview, Vec<String>), String> {
    let mut progress = throttled(job);
    progress(Stage::Reading(0.0));
    // Gzip inflated and IMDb's dump filtered as they stream; any other
    // catalog record by record: the rows never exist as a table of text cells.
    let Loaded { catalog, mut notes } = upload.read(&mut progress).map_err(|e| e.to_string())?;
    if catalog.issues.total > 0 {
        let first = catalog
            .issues
            .examples
            .first()
            .map(|i| format!(" (first: {i})"))
            .unwrap_or_default();
        notes.push(format!(
            "{} rows left out: {}{first}",
            crate::text::thousands(catalog.issues.total),
            catalog.issues.summary()
        ));
    }
    let data = match model {
        Some(ModelFile { name, json }) => {
            // The page checked the model; it is read again here, where it is used.
            let saved = SavedModel::from_json(&json).map_err(|e| format!("{name}: {e}"))?;
            let data = ClusteredCatalog::with_model(catalog, &saved, seed, &mut progress)
                .map_err(|e| format!("{name}: {e}"))?;
            notes.push(format!(
                "clusters from the saved model {name} ({} clusters; no k-means run)",
                data.model().k()
            ));
            data
        }
        None => {
            let k = k
                .unwrap_or_else(|| crate::clustered::default_k(catalog.len()))
                .min(catalog.len());
            let params = KMeansParams::new(k).seed(seed);
            // Shard workers start now and load while the features are encoded.
            let count = shards::shard_count(catalog.len(), chosen_shards);
            let workers = match shards::ShardWorkers::start(count) {
                Ok(workers) => Some(workers),
                Err(message) => {
                    notes.push(unshared(&message));
                    None
                }
            };
            let encoded = ClusteredCatalog::encode(catalog, spec, &mut progress)
                .map_err(|e| e.to_string())?;
            let matrix = encoded.matrix();
            // k-means time, from seeding to the final labels (std's clock is not on wasm32).
            let started = js_sys::Date::now();
            let mut seeded = started;
            let Fitted {
                model,
                shards,
                workers,
            } = fit(
                &params,
                matrix,
                workers,
                &mut |stage| {
                    if stage == Stage::Seeding(1.0) {
                        seeded = js_sys::Date::now();
                    }
                    progress(stage)
                },
                &mut notes,
            )
            .await?;
            let seconds = |ms: f64| format!("{:.2} s", ms / 1000.0);
            notes.push(format!(
                "k-means: {} (k = {k}, seed {seed}): {} iterations, inertia {:.1}, {} on {}; seeding {}",
                seconds(js_sys::Date::now() - started),
                model.iterations(),
                model.inertia(),
                counted(shards, "shard"),
                counted(workers, "worker"),
                seconds(seeded - started),
            ));
            encoded
                .clustered(model, params, &mut progress)
                .map_err(|e| e.to_string())?
        }
    };
    let session = Session::with_progress(data, &mut progress);
    let overview = session.overview_with_progress(&mut progress);
    Ok((session, overview, notes))
}

/// How a fit ran: its model, its shards and the workers they ran on.
struct Fitted {
    model: KMeansModel,
    shards: usize,
    workers: usize,
}

/// Fits k-means to `matrix`: on this worker and `workers` when there are
/// any, else (or when they fail) here alone, in up to four shards one after
/// another so a long assignment reports progress between them. Any way
/// gives the same clusters.
async fn fit(
    params: &KMeansParams,
    matrix: &Array2<f32>,
    workers: Option<shards::ShardWorkers>,
    progress: &mut dyn FnMut(Stage),
    notes: &mut Vec<String>,
) -> Result<Fitted, String> {
    let mut staged = fit_progress(params.k(), progress);
    if let (Some(workers), Some(rows)) = (workers.filter(|w| !w.is_empty()), matrix.as_slice()) {
        match shards::fit_on_workers(workers, params, rows, matrix.ncols(), &mut staged).await {
            Ok((model, shards)) => {
                return Ok(Fitted {
                    model,
                    shards,
                    workers: shards,
                })
            }
            Err(message) => notes.push(unshared(&message)),
        }
    }
    let local = params.clone().threads(4);
    let model = local
        .fit_with_progress(matrix.view(), &mut staged)
        .map_err(|e| e.to_string())?;
    Ok(Fitted {
        model,
        shards: local.shards_for(matrix.nrows()),
        workers: 1,
    })
}

/// The note when k-means could not use shard workers.
fn unshared(why: &str) -> String {
    format!(
        "k-means could not use other workers ({why}), so it ran in one (the same clusters, slower)"
    )
}
