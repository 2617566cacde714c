//! Messages between the page and the web worker.
//!
//! Each message is a JS array: `[message, file?, file?]`, all `Uint8Array`s
//! whose buffers are transferred, not copied. The message is a [`Request`]
//! or [`Response`] in postcard's compact binary encoding (a clustered
//! catalog is mostly floats: binary is several times smaller and faster to
//! decode than JSON, which matters on the page's thread).

/// Encodes a message.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| format!("cannot encode a message: {e}"))
}

/// Decodes a message.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("cannot decode a message: {e}"))
}

use crate::catalog::ColumnRole;
use crate::clustered::ClusteredCatalog;
use crate::evaluate::UserReport;
use crate::features::FeatureSpec;
use crate::kmeans::ElbowPoint;
use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Infer column roles of a catalog file (bytes in slot 1) for the mapping table.
    Inspect {
        /// The file name, echoed back.
        name: String,
    },
    /// Parse (bytes in slot 1, optional ratings in slot 2), scale and cluster.
    Build {
        /// Echoed in every response about this job.
        job: u32,
        /// Column roles chosen by the user; inferred when absent.
        roles: Option<Vec<ColumnRole>>,
        /// Feature settings.
        spec: FeatureSpec,
        /// Number of clusters; chosen from the catalog size when absent.
        k: Option<usize>,
        /// k-means seed.
        seed: u64,
    },
    /// Cluster users and evaluate recommenders: interactions and items files in slots 1 and 2 (either order).
    Users {
        /// Echoed back.
        job: u32,
    },
    /// Inertia and silhouette for k in `k_min..=k_max` on the last built matrix.
    Elbow {
        /// Echoed back.
        job: u32,
        /// Smallest k.
        k_min: usize,
        /// Largest k.
        k_max: usize,
    },
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
        /// Words for the status line.
        stage: String,
        /// 0..1 when known.
        fraction: Option<f32>,
    },
    /// Inferred roles and a preview, for the mapping table.
    Inspected {
        /// File name.
        name: String,
        /// Column headers.
        headers: Vec<String>,
        /// Inferred role per column.
        roles: Vec<ColumnRole>,
        /// The first rows.
        preview: Vec<Vec<String>>,
        /// Data rows in the file.
        rows: usize,
    },
    /// The clustered catalog.
    Built {
        /// The job.
        job: u32,
        /// Everything needed to recommend and draw.
        data: Box<ClusteredCatalog>,
        /// Notes for the user (rows left out, ratings joined).
        notes: Vec<String>,
    },
    /// User clusters, per-user recommendations and the evaluation.
    Users {
        /// The job.
        job: u32,
        /// The report.
        report: Box<UserReport>,
    },
    /// The elbow curve.
    Elbow {
        /// The job.
        job: u32,
        /// One point per k.
        points: Vec<ElbowPoint>,
        /// The suggested k.
        suggested: Option<usize>,
    },
    /// The job failed; the message is for the user.
    Failed {
        /// The job (0 for inspections).
        job: u32,
        /// What went wrong.
        message: String,
    },
}
