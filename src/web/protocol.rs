//! Messages between the page and the web worker.
//!
//! Each message is a JS array: `[message, file?, file?]`, all `Uint8Array`s
//! whose buffers are transferred, not copied. The message is a [`Request`]
//! or [`Response`] in postcard's compact binary encoding.
//!
//! The catalog never crosses: the worker that built it keeps it as a
//! [`Session`](crate::session::Session) and answers queries about it, so
//! every response is small whatever the catalog's size (an export's bytes
//! travel as a transferred file).

/// Encodes a message.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| format!("cannot encode a message: {e}"))
}

/// Decodes a message.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("cannot decode a message: {e}"))
}

use crate::catalog::formats::ColumnReadings;
use crate::catalog::{ColumnRole, ImdbFilter};
use crate::evaluate::UserReport;
use crate::features::FeatureSpec;
use crate::kmeans::{ElbowPoint, Order, Reply};
use crate::progress::Stage;
use crate::session::{Card, Hit, Overview, Selection};
use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Infer column roles of a catalog file (bytes in slot 1) for the mapping table.
    Inspect {
        /// The file name, echoed back.
        name: String,
    },
    /// One sheet of a workbook (slot 1) as CSV: the spreadsheet worker's only request.
    Sheet {
        /// The file name, echoed back.
        name: String,
        /// The sheet to read; the first with a header row when absent.
        sheet: Option<String>,
    },
    /// Parse (bytes in slot 1, optional ratings in slot 2), scale and cluster.
    Build {
        /// Echoed in every response about this job.
        job: u32,
        /// Column roles chosen by the user; inferred when absent.
        roles: Option<Vec<ColumnRole>>,
        /// Which rows of IMDb's title.basics become titles.
        filter: ImdbFilter,
        /// Feature settings.
        spec: FeatureSpec,
        /// Number of clusters; chosen from the catalog size when absent.
        k: Option<usize>,
        /// k-means seed.
        seed: u64,
        /// A saved model whose clusters the catalog takes instead of running k-means.
        model: Option<ModelFile>,
        /// The catalog is split into per-cluster files: slot 1 is its title
        /// list, and its cluster files are under this URL (see
        /// [`crate::split`]); `model` is required.
        split: Option<String>,
        /// Shards of k-means' rows (the page's `?shards=N`, for tests and
        /// benchmarks); by default one per core on enough rows. Any number
        /// gives the same clusters.
        shards: Option<u32>,
    },
    /// Become a k-means shard: the rows in slot 1 (a `Float32Array`, row
    /// after row), the first being row `first` of the matrix. Sent by a
    /// building worker to the shard workers it starts.
    ShardRows {
        /// Values per row.
        dim: usize,
        /// Global index of the first row.
        first: usize,
    },
    /// A k-means coordinator's order to its shard (answered by [`Response::Shard`]).
    Shard(Order),
    /// Cluster users and evaluate recommenders: interactions and items files in slots 1 and 2 (either order).
    Users {
        /// Echoed back.
        job: u32,
    },
    /// The elbow curve of a catalog, one point per k in `k_min..=k_max`,
    /// fitted on the rows in slot 1 (little-endian f32, row after row).
    Elbow {
        /// The catalog's build job, echoed back.
        job: u32,
        /// Rows in slot 1.
        rows: usize,
        /// Features per row.
        cols: usize,
        /// The catalog's k-means seed.
        seed: u64,
        /// Smallest k.
        k_min: usize,
        /// Largest k.
        k_max: usize,
    },
    /// Titles matching a query.
    Search {
        /// The query, echoed back.
        query: String,
    },
    /// The movie panel for a selection and the user's marks.
    Card {
        /// The selected movie.
        selection: Option<Selection>,
        /// Watched ids (never recommended).
        watched: Vec<String>,
        /// Liked ids.
        liked: Vec<String>,
    },
    /// The catalog with clusters as CSV, or the model as JSON (bytes in
    /// slot 1 of the answer). With the catalog's own file in slot 1, the
    /// CSV keeps that file's columns.
    Export {
        /// The model rather than the catalog.
        model: bool,
    },
}

/// A saved model chosen by the user, as its JSON text (checked by the page
/// before it is sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// The file's name, for the notes.
    pub name: String,
    /// Its JSON.
    pub json: String,
}

impl Request {
    /// The job a failure should name (`None` for requests outside a job).
    pub fn job(&self) -> Option<u32> {
        match self {
            Request::Build { job, .. } | Request::Users { job } | Request::Elbow { job, .. } => {
                Some(*job)
            }
            Request::Inspect { .. }
            | Request::Sheet { .. }
            | Request::Search { .. }
            | Request::Card { .. }
            | Request::Export { .. }
            | Request::ShardRows { .. }
            | Request::Shard(_) => None,
        }
    }
}

/// What the worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// The worker's handler is installed; messages sent before this would be lost.
    Ready,
    /// Work in progress.
    Progress {
        /// The job.
        job: u32,
        /// Where it is (the page makes the words and the bar).
        stage: Stage,
    },
    /// Inferred roles and example values, for the mapping table.
    Inspected {
        /// File name.
        name: String,
        /// Column headers.
        headers: Vec<String>,
        /// Inferred role per column.
        roles: Vec<ColumnRole>,
        /// A few non-empty example values per column.
        examples: Vec<Vec<String>>,
        /// Data rows in the file (estimated past the preview's head).
        rows: usize,
        /// `rows` is an estimate.
        approximate: bool,
        /// The file is IMDb's title.basics dump (its filter applies).
        imdb: bool,
        /// Each column read as numbers, dates and running times, so the
        /// mapping table can say what it understood for any role.
        readings: Vec<ColumnReadings>,
    },
    /// A workbook's sheet, as CSV in slot 1.
    Sheet {
        /// The workbook's file name.
        name: String,
        /// The sheet read.
        sheet: String,
        /// Every sheet of the workbook.
        sheets: Vec<String>,
    },
    /// The catalog is clustered; this worker now holds it and answers
    /// queries. Slot 1 holds the rows for the elbow curve (see [`Request::Elbow`]).
    Built {
        /// The job.
        job: u32,
        /// What the page draws.
        overview: Box<Overview>,
        /// Notes for the user (rows left out, ratings joined).
        notes: Vec<String>,
        /// Rows in slot 1.
        elbow_rows: usize,
        /// Features per row.
        features: usize,
        /// The k-means seed.
        seed: u64,
    },
    /// Search results.
    Hits {
        /// The catalog's build job.
        job: u32,
        /// The query they answer.
        query: String,
        /// Best first.
        hits: Vec<Hit>,
    },
    /// The movie panel.
    Card {
        /// The catalog's build job.
        job: u32,
        /// What the selection asked for (to tell a stale answer from a current one).
        selection: Option<Selection>,
        /// The panel.
        card: Box<Card>,
    },
    /// An export; its bytes are in slot 1.
    Exported {
        /// File name for the download.
        name: String,
        /// Media type.
        mime: String,
    },
    /// User clusters, per-user recommendations and the evaluation.
    Users {
        /// The job.
        job: u32,
        /// The report.
        report: Box<UserReport>,
    },
    /// One point of the elbow curve.
    Elbow {
        /// The catalog's build job.
        job: u32,
        /// The point.
        point: ElbowPoint,
    },
    /// A k-means shard's reply to its coordinator.
    Shard(Reply),
    /// The job failed; the message is for the user.
    Failed {
        /// The job, if the failure belongs to one (inspections, queries and
        /// unreadable messages belong to none).
        job: Option<u32>,
        /// What went wrong.
        message: String,
    },
}
