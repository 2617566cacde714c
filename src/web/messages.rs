//! Messages between the page and its workers, and between workers: one
//! request type and one response type per worker role, so a message meant
//! for one role cannot be sent to another (a [`Bridge`](super::bridge::Bridge)
//! is typed by its [`Role`]).
//!
//! Each message is a JS array: `[message, file?, file?, file?]`. The
//! message is a `Uint8Array`: the role's tag, then the request or response
//! in postcard's compact binary encoding; an empty message from a worker
//! says it is ready. Files are `Blob`s (a `File` is one, passed by
//! reference and read in the worker) or `Uint8Array`s whose buffers are
//! transferred, not copied.
//!
//! The catalog never crosses: the worker that built it keeps it and answers
//! queries about it, so every response is small whatever the catalog's size
//! (an export's bytes travel as a transferred file).

use crate::catalog::{ColumnRole, ImdbFilter};
use crate::evaluate::UserReport;
use crate::features::FeatureSpec;
use crate::inspect::Inspection;
use crate::kmeans::{ElbowPoint, Order, Reply};
use crate::notes::Note;
use crate::progress::Stage;
use crate::session::{Card, Hit, Overview, Selection};
use crate::web::error::WebError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A kind of worker: what it is asked and what it answers.
pub trait Role: 'static {
    /// What it is asked.
    type Request: Serialize + DeserializeOwned;
    /// What it answers.
    type Response: Serialize + DeserializeOwned;
    /// The tag its messages carry.
    const TAG: u8;
    /// The answer for a failure outside any request's handling (a message
    /// that could not be read, a worker that could not be reached).
    fn failure(message: String) -> Self::Response;
}

/// Encodes a message for role `R`: its tag, then the value.
pub fn encode<R: Role, T: Serialize>(value: &T) -> Result<Vec<u8>, WebError> {
    let mut bytes = vec![R::TAG];
    let value = postcard::to_allocvec(value)
        .map_err(|e| WebError::Message(format!("cannot encode a message: {e}")))?;
    bytes.extend(value);
    Ok(bytes)
}

/// Decodes a message for role `R`.
pub fn decode<R: Role, T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    match bytes.split_first() {
        Some((&tag, rest)) if tag == R::TAG => postcard::from_bytes(rest)
            .map_err(|e| WebError::Message(format!("cannot decode a message: {e}"))),
        _ => Err(WebError::Message(
            "a message for another kind of worker".into(),
        )),
    }
}

/// The tag of a message (which role it is for), if it has one.
pub fn tag(bytes: &[u8]) -> Option<u8> {
    bytes.first().copied()
}

/// The catalog worker: opens an upload, builds a catalog (a fresh worker
/// per build), then keeps it and answers the page's questions about it.
pub struct CatalogRole;

impl Role for CatalogRole {
    type Request = CatalogRequest;
    type Response = CatalogResponse;
    const TAG: u8 = 1;
    fn failure(message: String) -> CatalogResponse {
        CatalogResponse::Failed { job: None, message }
    }
}

/// What the page asks of a catalog worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum CatalogRequest {
    /// Open the files of an upload (in the message's slots, in order):
    /// find which is the catalog, its ratings and a saved model, read a
    /// workbook's sheet, and inspect the catalog for the mapping step. The
    /// worker keeps them for the build that follows.
    Open {
        /// The files' names, in slot order.
        names: Vec<String>,
    },
    /// Read another sheet of the opened workbook.
    Sheet {
        /// The sheet.
        sheet: String,
    },
    /// Build a catalog: from the files in the message's slots (catalog,
    /// then ratings), or from the opened upload when there are none.
    Build(Box<Build>),
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
    /// Fit the elbow curve of the catalog held here, on a worker of its
    /// own (the page asks once the catalog is on screen: a worker starting
    /// meanwhile would delay it).
    Elbow,
    /// The catalog with clusters as CSV, or the model as JSON (bytes in
    /// slot 1 of the answer). With the catalog's own file in slot 1, the
    /// CSV keeps that file's columns.
    Export {
        /// The model rather than the catalog.
        model: bool,
    },
}

/// A build: what the user chose.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Build {
    /// Echoed in every response about this job.
    pub job: u32,
    /// The sheet of a workbook catalog.
    pub sheet: Option<String>,
    /// Column roles chosen by the user; inferred when absent.
    pub roles: Option<Vec<ColumnRole>>,
    /// Which rows of IMDb's title.basics become titles.
    pub filter: ImdbFilter,
    /// Feature settings.
    pub spec: FeatureSpec,
    /// Number of clusters; chosen from the catalog size when absent.
    pub k: Option<usize>,
    /// k-means seed.
    pub seed: u64,
    /// A saved model whose clusters the catalog takes instead of running k-means.
    pub model: Option<ModelChoice>,
    /// The catalog is split into per-cluster files: the catalog file is
    /// its title list, and its cluster files are under this URL (see
    /// `crate::split`); `model` is required.
    pub split: Option<String>,
    /// Shards of k-means' rows (the page's `?shards=N`, for tests and
    /// benchmarks); by default one per core on enough rows. Any number
    /// gives the same clusters.
    pub shards: Option<u32>,
}

/// Which saved model a build takes its clusters from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ModelChoice {
    /// The model of the opened upload.
    Opened,
    /// The model sent with the build, after the catalog and its ratings.
    Sent {
        /// Its file's name, for the notes.
        name: String,
    },
    /// A model the site names, as its JSON (a site's own file, not an upload).
    Site {
        /// The file's name, for the notes.
        name: String,
        /// Its JSON.
        json: String,
    },
}

/// What a catalog worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum CatalogResponse {
    /// The upload is open.
    Opened(Box<Opened>),
    /// Work in progress.
    Progress {
        /// The job.
        job: u32,
        /// Where it is (the page makes the words and the bar).
        stage: Stage,
    },
    /// The catalog is clustered; this worker now holds it and answers
    /// queries. Its elbow curve follows, a point at a time.
    Built {
        /// The job.
        job: u32,
        /// What the page draws.
        overview: Box<Overview>,
        /// Notes for the user (rows left out, ratings joined).
        notes: Vec<Note>,
    },
    /// One point of the elbow curve of the catalog built by `job`.
    ElbowPoint {
        /// The catalog's build job.
        job: u32,
        /// The point.
        point: ElbowPoint,
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
    /// Something failed; the message is for the user.
    Failed {
        /// The job, if the failure belongs to one (opening an upload, the
        /// elbow curve and queries belong to none).
        job: Option<u32>,
        /// What went wrong.
        message: String,
    },
}

/// An opened upload: which file is what, and the catalog's inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    /// The slot of the catalog file, if the upload has one.
    pub catalog: Option<usize>,
    /// The slot of its ratings file.
    pub ratings: Option<usize>,
    /// A saved model in the upload.
    pub model: Option<OpenedModel>,
    /// The sheet read, and every sheet, when the catalog is a workbook.
    pub sheets: Option<(String, Vec<String>)>,
    /// The catalog's head, for the mapping step.
    pub inspection: Option<Inspection>,
}

/// A saved model found in an upload (checked): what a re-cluster after it
/// starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenedModel {
    /// Its file's slot.
    pub slot: usize,
    /// Its clusters.
    pub k: usize,
    /// The feature settings it was fitted with.
    pub spec: FeatureSpec,
}

/// The helper worker: the users view.
pub struct HelperRole;

impl Role for HelperRole {
    type Request = HelperRequest;
    type Response = HelperResponse;
    const TAG: u8 = 2;
    fn failure(message: String) -> HelperResponse {
        HelperResponse::Failed { job: None, message }
    }
}

/// What the page asks of the helper worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum HelperRequest {
    /// Cluster users and evaluate recommenders: interactions and items
    /// files in slots 1 and 2 (either order).
    Users {
        /// Echoed back.
        job: u32,
    },
}

/// What the helper worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum HelperResponse {
    /// User clusters, per-user recommendations and the evaluation.
    Users {
        /// The job.
        job: u32,
        /// The report.
        report: Box<UserReport>,
    },
    /// The job failed; the message is for the user.
    Failed {
        /// The job, if any.
        job: Option<u32>,
        /// What went wrong.
        message: String,
    },
}

/// The elbow worker: started by a catalog worker after its build, it fits
/// the elbow curve on a sample of the catalog's rows, then ends.
pub struct ElbowRole;

impl Role for ElbowRole {
    type Request = ElbowRequest;
    type Response = ElbowResponse;
    const TAG: u8 = 3;
    fn failure(message: String) -> ElbowResponse {
        ElbowResponse::Failed(message)
    }
}

/// The rows to fit (slot 1: little-endian f32, row after row) and the k to try.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ElbowRequest {
    /// Rows in slot 1.
    pub rows: usize,
    /// Features per row.
    pub cols: usize,
    /// The catalog's k-means seed.
    pub seed: u64,
    /// Smallest k.
    pub k_min: usize,
    /// Largest k.
    pub k_max: usize,
}

/// What the elbow worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ElbowResponse {
    /// One point of the curve.
    Point(ElbowPoint),
    /// The curve could not be fitted.
    Failed(String),
}

/// The spreadsheet worker (a wasm of its own: its reader is large): one
/// sheet of a workbook as CSV, for the catalog worker that opened it.
pub struct SheetsRole;

impl Role for SheetsRole {
    type Request = SheetRequest;
    type Response = SheetResponse;
    const TAG: u8 = 4;
    fn failure(message: String) -> SheetResponse {
        SheetResponse::Failed(message)
    }
}

/// One sheet of the workbook in slot 1.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SheetRequest {
    /// The sheet to read; the first with a header row when absent.
    pub sheet: Option<String>,
}

/// What the spreadsheet worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum SheetResponse {
    /// The sheet, as CSV in slot 1.
    Sheet {
        /// The sheet read.
        sheet: String,
        /// Every sheet of the workbook.
        sheets: Vec<String>,
    },
    /// The workbook cannot be read; the message is for the user.
    Failed(String),
}

/// A k-means shard worker: started by a catalog worker for a big fit.
pub struct ShardRole;

impl Role for ShardRole {
    type Request = ShardRequest;
    type Response = ShardResponse;
    const TAG: u8 = 5;
    fn failure(message: String) -> ShardResponse {
        ShardResponse::Failed(message)
    }
}

/// What a coordinator asks of its shard worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ShardRequest {
    /// Become a shard: the rows in slot 1 (a `Float32Array`, row after
    /// row), the first being row `first` of the matrix.
    Rows {
        /// Values per row.
        dim: usize,
        /// Global index of the first row.
        first: usize,
    },
    /// An order of the k-means conversation.
    Order(Order),
}

/// What a shard worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ShardResponse {
    /// The reply to an order.
    Reply(Reply),
    /// The order could not be followed.
    Failed(String),
}
