//! A catalog worker's build: read the upload, fit the features, run
//! k-means (on shard workers when the catalog is big) or take a saved
//! model's clusters, index and describe the result; or open a catalog split
//! into per-cluster files.

use super::shards;
use super::{throttled, Input};
use crate::clustered::{default_k, fit_progress, ClusteredCatalog};
use crate::kmeans::{KMeansModel, KMeansParams};
use crate::model::SavedModel;
use crate::notes::Note;
use crate::progress::Stage;
use crate::session::{CatalogQueries, Overview, Session};
use crate::split::{SplitCatalog, TITLE_LIST_LIMIT};
use crate::upload::{Loaded, Upload};
use crate::web::error::{within, WebError};
use crate::web::messages::{Build, CatalogResponse, CatalogRole, ModelChoice};
use ndarray::Array2;

/// What a build leaves in the worker.
pub(super) enum Held {
    /// A whole clustered catalog, and the text of the sheet it was read
    /// from when it came from a workbook (its export keeps the sheet's columns).
    Whole {
        session: Box<Session>,
        sheet: Option<Vec<u8>>,
    },
    /// A prepared catalog beyond one tab: its title list, and the cluster
    /// files under `base` (an absolute URL of the site's own origin).
    Split {
        catalog: Box<SplitCatalog>,
        base: String,
    },
}

impl Held {
    pub(super) fn queries(&self) -> &dyn CatalogQueries {
        match self {
            Held::Whole { session, .. } => session.as_ref(),
            Held::Split { catalog, .. } => catalog.as_ref(),
        }
    }
}

/// What a build leaves: the catalog to keep, what the page draws, the notes,
/// and the rows the elbow curve is fitted on (`rows`, `cols`, the values,
/// the seed), when the catalog has features here.
pub(super) struct Built {
    pub held: Held,
    pub overview: Overview,
    pub notes: Vec<Note>,
    pub elbow: Option<(usize, usize, Vec<f32>, u64)>,
}

/// The build's progress, posted to the page at most every few tens of milliseconds.
fn progress_of(job: u32) -> impl FnMut(Stage) {
    throttled(move |stage| super::post::<CatalogRole>(&CatalogResponse::Progress { job, stage }))
}

/// Builds `catalog` (and its `ratings`) as `choice` says: its own clusters,
/// or `model`'s (named, for the notes). `sheet` is the text of the sheet a
/// workbook's catalog was read from, kept for its export.
pub(super) async fn build(
    choice: &Build,
    catalog: Input,
    ratings: Option<Input>,
    model: Option<(String, SavedModel)>,
    sheet: Option<Vec<u8>>,
) -> Result<Built, WebError> {
    let job = choice.job;
    let mut progress = progress_of(job);
    progress(Stage::Reading(0.0));
    // Gzip inflated and IMDb's dump filtered as they stream; any other
    // catalog record by record: the rows never exist as a table of text cells.
    let upload = Upload {
        ratings: ratings.as_ref().map(Input::file),
        roles: choice.roles.clone(),
        filter: choice.filter,
        ..Upload::new(catalog.file())
    };
    let Loaded { catalog, mut notes } = upload.read(&mut progress)?;
    if catalog.issues.total > 0 {
        notes.push(Note::RowsLeftOut {
            total: catalog.issues.total,
            by_kind: catalog.issues.by_kind.clone().into_iter().collect(),
            first: catalog.issues.examples.first().cloned(),
        });
    }
    let seed = choice.seed;
    let data = match model {
        Some((name, saved)) => {
            let data = ClusteredCatalog::with_model(catalog, &saved, seed, &mut progress)
                .map_err(within(name.clone()))?;
            notes.push(Note::FromModel {
                name,
                k: data.model().k(),
            });
            data
        }
        None => {
            let k = choice
                .k
                .unwrap_or_else(|| default_k(catalog.len()))
                .min(catalog.len());
            let params = KMeansParams::new(k).seed(seed);
            // Shard workers start now and load while the features are encoded.
            let count = shards::shard_count(catalog.len(), choice.shards);
            let workers = match shards::ShardWorkers::start(count) {
                Ok(workers) => Some(workers),
                Err(e) => {
                    notes.push(Note::Unshared(e.to_string()));
                    None
                }
            };
            let encoded = ClusteredCatalog::encode(catalog, &choice.spec, &mut progress)?;
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
            notes.push(Note::KMeans {
                seconds: (js_sys::Date::now() - started) / 1000.0,
                k,
                seed,
                iterations: model.iterations(),
                inertia: model.inertia(),
                shards,
                workers,
                seeding: (seeded - started) / 1000.0,
            });
            encoded.clustered(model, params, &mut progress)?
        }
    };
    let session = Session::with_progress(data, &mut progress);
    let overview = session.overview_with_progress(&mut progress);
    let rows = session.elbow_rows();
    let elbow = Some((
        rows.nrows(),
        rows.ncols(),
        rows.iter().copied().collect(),
        session.data().params().get_seed(),
    ));
    Ok(Built {
        held: Held::Whole {
            session: Box::new(session),
            sheet,
        },
        overview,
        notes,
        elbow,
    })
}

/// Opens a split catalog: its title list (`file`) and the site's model; no
/// cluster is loaded until a selection needs one.
pub(super) fn open_split(choice: &Build, file: &Input, base: String) -> Result<Built, WebError> {
    let mut progress = progress_of(choice.job);
    progress(Stage::Reading(0.0));
    let Some(ModelChoice::Site { name, json }) = &choice.model else {
        return Err("a split catalog needs its model (the site names none)".into());
    };
    let saved = SavedModel::from_json(json).map_err(within(name.clone()))?;
    let text = file.text(TITLE_LIST_LIMIT)?;
    let catalog =
        SplitCatalog::open(text, saved, &mut progress).map_err(|source| WebError::Split {
            name: base.clone(),
            source,
        })?;
    let overview = catalog.overview();
    let notes = vec![Note::Split {
        titles: catalog.len(),
        clusters: overview.k,
        model: name.clone(),
    }];
    // No rows for the elbow curve: no title's features are here.
    Ok(Built {
        held: Held::Split {
            catalog: Box::new(catalog),
            base,
        },
        overview,
        notes,
        elbow: None,
    })
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
    notes: &mut Vec<Note>,
) -> Result<Fitted, WebError> {
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
            Err(e) => notes.push(Note::Unshared(e.to_string())),
        }
    }
    let local = params.clone().threads(4);
    let model = local.fit_with_progress(matrix.view(), &mut staged)?;
    Ok(Fitted {
        model,
        shards: local.shards_for(matrix.nrows()),
        workers: 1,
    })
}
