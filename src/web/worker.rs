//! The web worker: parses, scales, clusters and computes the elbow curve off
//! the main thread, posting progress as it goes.

use super::protocol::{decode, encode, Request, Response};
use crate::catalog::{infer_roles, Catalog};
use crate::clustered::{ClusteredCatalog, Stage};
use crate::kmeans::{elbow, suggest_k, KMeansParams};
use crate::table::Table;
use js_sys::{Array, Uint8Array};
use ndarray::Array2;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    /// The last built matrix and seed, for elbow requests.
    static LAST: RefCell<Option<(Array2<f32>, u64)>> = const { RefCell::new(None) };
}

/// Least time between two progress messages.
const PROGRESS_INTERVAL_MS: f64 = 60.0;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    let bytes = encode(response)
        .or_else(|message| encode(&Response::Failed { job: 0, message }))
        .unwrap_or_default();
    let array = Uint8Array::from(bytes.as_slice());
    let _ = scope().post_message_with_transfer(&Array::of1(&array), &Array::of1(&array.buffer()));
}

/// Registers the message handler; called from the worker binary's `main`.
pub fn start_worker() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let parts: Array = event.data().unchecked_into();
        let bytes = |slot: u32| {
            let v = parts.get(slot);
            v.is_instance_of::<Uint8Array>()
                .then(|| v.unchecked_into::<Uint8Array>().to_vec())
        };
        match decode::<Request>(&bytes(0).unwrap_or_default()) {
            Ok(request) => handle(request, bytes(1), bytes(2)),
            Err(message) => post(&Response::Failed { job: 0, message }),
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
            let response = match build(
                job,
                file.unwrap_or_default(),
                ratings,
                roles,
                &spec,
                k,
                seed,
            ) {
                Ok((data, notes)) => {
                    LAST.with(|l| *l.borrow_mut() = Some((data.matrix.clone(), seed)));
                    Response::Built {
                        job,
                        data: Box::new(data),
                        notes,
                    }
                }
                Err(message) => Response::Failed { job, message },
            };
            post(&response);
        }
        Request::Users { job } => {
            post(&Response::Progress {
                job,
                stage: "clustering users and evaluating recommenders".into(),
                fraction: None,
            });
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
                Err(message) => Response::Failed { job, message },
            };
            post(&response);
        }
        Request::Elbow { job, k_min, k_max } => {
            let response = LAST.with(|l| match &*l.borrow() {
                Some((matrix, seed)) => {
                    let mut progress = throttled(job);
                    let base = KMeansParams::new(1).seed(*seed);
                    match elbow(matrix.view(), k_min, k_max, &base, 600, &mut |k| {
                        progress(
                            format!("elbow curve: k = {k}"),
                            Some((k - k_min + 1) as f32 / (k_max - k_min + 1) as f32),
                        )
                    }) {
                        Ok(points) => {
                            let suggested = suggest_k(&points);
                            Response::Elbow {
                                job,
                                points,
                                suggested,
                            }
                        }
                        Err(e) => Response::Failed {
                            job,
                            message: e.to_string(),
                        },
                    }
                }
                None => Response::Failed {
                    job,
                    message: "no catalog has been clustered yet".into(),
                },
            });
            post(&response);
        }
    }
}

/// Bytes read to infer roles and show a preview: enough for hundreds of rows.
const PREVIEW_BYTES: usize = 1 << 20;

fn inspect(name: String, bytes: Vec<u8>) -> Response {
    // A preview needs the head of the file, not all of it.
    match Table::parse(crate::table::head_sample(&bytes, PREVIEW_BYTES)) {
        Ok(table) => Response::Inspected {
            roles: infer_roles(&table),
            preview: table.rows.iter().take(3).map(|r| r.cells.clone()).collect(),
            rows: if bytes.len() <= PREVIEW_BYTES {
                table.rows.len()
            } else {
                crate::table::approximate_rows(&bytes)
            },
            headers: table.headers,
            name,
        },
        Err(e) => Response::Failed {
            job: 0,
            message: format!("{name}: {e}"),
        },
    }
}

/// A progress reporter that posts at most every [`PROGRESS_INTERVAL_MS`].
fn throttled(job: u32) -> impl FnMut(String, Option<f32>) {
    let mut last = 0.0;
    move |stage, fraction| {
        let now = js_sys::Date::now();
        if now - last >= PROGRESS_INTERVAL_MS {
            last = now;
            post(&Response::Progress {
                job,
                stage,
                fraction,
            });
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
) -> Result<(ClusteredCatalog, Vec<String>), String> {
    let mut progress = throttled(job);
    progress(Stage::Parsing.describe(), Some(0.0));
    // Record by record: the rows never exist as a table of text cells.
    let (mut catalog, _) = Catalog::parse_streaming(file, roles, &mut |share| {
        progress(
            format!("{} ({:.0}%)", Stage::Parsing.describe(), share * 100.0),
            Some(share * 0.3),
        );
    })
    .map_err(|e| e.to_string())?;
    let mut notes = Vec::new();
    if let Some(ratings) = ratings {
        let joined = catalog
            .attach_ratings(&ratings)
            .map_err(|e| e.to_string())?;
        notes.push(format!(
            "ratings joined for {joined} of {} titles",
            catalog.len()
        ));
    }
    if catalog.issues.total > 0 {
        let first = catalog
            .issues
            .examples
            .first()
            .map(|i| format!(" (first: {})", i.reason))
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
    let params = KMeansParams::new(k).seed(seed);
    // k-means time, from the first seeding report to projection (std's clock is not on wasm32).
    let (mut kmeans_start, mut kmeans_end) = (None::<f64>, None::<f64>);
    let data = ClusteredCatalog::build(catalog, spec, &params, &mut |stage| {
        match stage {
            Stage::Seeding(_) if kmeans_start.is_none() => kmeans_start = Some(js_sys::Date::now()),
            Stage::Projecting => kmeans_end = Some(js_sys::Date::now()),
            _ => {}
        }
        let fraction = match stage {
            Stage::Seeding(share) => Some(0.3 + share * 0.4),
            Stage::Clustering(it) => Some(0.7 + 0.3 * (it as f32 / 30.0).min(0.95)),
            _ => None,
        };
        progress(stage.describe(), fraction);
    })
    .map_err(|e| e.to_string())?;
    if let (Some(start), Some(end)) = (kmeans_start, kmeans_end) {
        notes.push(format!(
            "k-means: {:.2} s (k = {k}, seed {seed})",
            (end - start) / 1000.0
        ));
    }
    Ok((data, notes))
}
