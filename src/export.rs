//! Exports: the catalog with `cluster` and `distance` columns as CSV (as
//! the tutorials produced), the scaled feature matrix, and the fitted model
//! (feature pipeline + centroids) as JSON that loads back and assigns the
//! same clusters.

use crate::catalog::Catalog;
use crate::clustered::ClusteredCatalog;
use crate::features::FeaturePipeline;
use crate::kmeans::KMeansModel;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A cell that a spreadsheet would run as a formula gets a leading `'`.
///
/// ```
/// use reelmeans::export::neutralise_formula;
/// assert_eq!(neutralise_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise_formula("-5"), "-5");
/// assert_eq!(neutralise_formula("Alien"), "Alien");
/// ```
pub fn neutralise_formula(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn write_row(out: &mut csv::Writer<Vec<u8>>, cells: &[String]) {
    // Writing to a Vec<u8> cannot fail.
    let _ = out.write_record(cells.iter().map(|c| neutralise_formula(c)));
}

fn finish(out: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The clustered catalog as CSV: the movie's columns plus `cluster` and `distance`.
pub fn clustered_csv(data: &ClusteredCatalog) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut out,
        &[
            "id", "title", "year", "genres", "language", "runtime", "rating", "votes", "cluster",
            "distance",
        ]
        .map(String::from),
    );
    for (i, m) in data.catalog().movies.iter().enumerate() {
        write_row(
            &mut out,
            &[
                m.id.clone(),
                m.title.clone(),
                opt(m.year),
                m.genres.join("|"),
                opt(m.language.clone()),
                opt(m.runtime),
                opt(m.rating),
                opt(m.votes),
                data.cluster_of(i).to_string(),
                format!("{:.6}", data.distances()[i]),
            ],
        );
    }
    finish(out)
}

/// The scaled feature matrix as CSV with a header of feature names.
pub fn matrix_csv(names: &[String], matrix: &Array2<f32>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    write_row(&mut out, names);
    for row in matrix.rows() {
        let cells: Vec<String> = row.iter().map(|x| x.to_string()).collect();
        let _ = out.write_record(&cells);
    }
    finish(out)
}

/// Why a saved model cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not valid model JSON.
    #[error("not a reelmeans model file: {0}")]
    Json(#[from] serde_json::Error),
    /// A newer or unknown format version.
    #[error("model format version {0} is not supported (expected {MODEL_VERSION})")]
    Version(u32),
    /// Centroids do not match the feature columns.
    /// The model has no centroids.
    #[error("the model has no centroids")]
    NoCentroids,
    /// A centroid's width differs from the features'.
    #[error("the model's centroids have {got} columns but its features have {expected}")]
    Shape {
        /// Columns in the centroids.
        got: usize,
        /// Feature columns.
        expected: usize,
    },
}

/// Format version written into saved models.
pub const MODEL_VERSION: u32 = 1;

/// The fitted model as saved: feature pipeline (spec, scaler, categories) and centroids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    /// Format version.
    pub version: u32,
    /// The fitted feature pipeline.
    pub pipeline: FeaturePipeline,
    /// Centroids, one row per cluster.
    pub centroids: Vec<Vec<f32>>,
}

impl SavedModel {
    /// Captures a clustered catalog's model.
    pub fn from_clustered(data: &ClusteredCatalog) -> SavedModel {
        SavedModel {
            version: MODEL_VERSION,
            pipeline: data.pipeline().clone(),
            centroids: data
                .model()
                .centroids()
                .rows()
                .into_iter()
                .map(|r| r.to_vec())
                .collect(),
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Parses and checks a saved model.
    pub fn from_json(json: &str) -> Result<SavedModel, ModelError> {
        let model: SavedModel = serde_json::from_str(json)?;
        if model.version != MODEL_VERSION {
            return Err(ModelError::Version(model.version));
        }
        model.kmeans()?;
        Ok(model)
    }

    /// The k-means model of the saved centroids, or why they cannot be one.
    pub fn kmeans(&self) -> Result<KMeansModel, ModelError> {
        let expected = self.pipeline.columns().len();
        if self.centroids.is_empty() {
            return Err(ModelError::NoCentroids);
        }
        if let Some(bad) = self.centroids.iter().find(|c| c.len() != expected) {
            return Err(ModelError::Shape {
                got: bad.len(),
                expected,
            });
        }
        let flat: Vec<f32> = self.centroids.iter().flatten().copied().collect();
        Array2::from_shape_vec((self.centroids.len(), expected), flat)
            .map(KMeansModel::from_centroids)
            .map_err(|_| ModelError::Shape {
                got: self.centroids.len(),
                expected,
            })
    }

    /// Assigns every movie of a catalog to its nearest saved centroid.
    pub fn assign(&self, catalog: &Catalog) -> Result<Vec<usize>, ModelError> {
        let model = self.kmeans()?;
        let matrix = self.pipeline.transform(catalog);
        let d = matrix.ncols();
        let rows = matrix
            .as_slice()
            .expect("a transformed matrix is contiguous: built row after row");
        Ok(rows
            .chunks_exact(d.max(1))
            .map(|r| model.predict(r))
            .collect())
    }
}
