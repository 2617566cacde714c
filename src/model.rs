//! The saved-model format: a fitted feature pipeline and its centroids, as
//! the app, the CLI and the Spark job write them, read back with its checks.

use crate::catalog::Catalog;
use crate::features::FeaturePipeline;
use crate::kmeans::KMeansModel;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Why a saved model cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not valid model JSON.
    #[error("not a reelmeans model file: {0}")]
    Json(#[from] serde_json::Error),
    /// A newer or unknown format version.
    #[error("model format version {0} is not supported (expected {MODEL_VERSION})")]
    Version(u32),
    /// The model has no centroids.
    #[error("the model has no centroids")]
    NoCentroids,
    /// The model has no feature columns.
    #[error("the model has no feature columns")]
    NoFeatures,
    /// The model needs something the catalog does not have.
    #[error("the model does not fit this catalog: {0}")]
    DoesNotFit(String),
    /// The model's numbers make a title's features infinite or NaN.
    #[error("the model turns {title:?}'s feature {feature} into a value that is not a finite number (was the model file edited?)")]
    NotFinite {
        /// The first such title.
        title: String,
        /// The feature column.
        feature: String,
    },
    /// A centroid holds a value that is not a finite number.
    #[error("centroid {0} holds a value that is not a finite number")]
    NonFiniteCentroid(usize),
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
    /// Whether a file's head (its first few kilobytes) is a saved model's:
    /// a JSON object whose first keys are `version` and `pipeline`, as
    /// [`SavedModel::to_json`] writes them. A JSON catalog never starts so.
    ///
    /// ```
    /// use reelmeans::SavedModel;
    /// assert!(SavedModel::is_saved_model(b"{\n  \"version\": 1,\n  \"pipeline\": {"));
    /// assert!(!SavedModel::is_saved_model(b"[{\"title\": \"Heat\"}]"));
    /// assert!(!SavedModel::is_saved_model(b"{\"movies\": [{\"version\": 2}]}"));
    /// ```
    pub fn is_saved_model(head: &[u8]) -> bool {
        let squeezed: Vec<u8> = head
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .take(64)
            .collect();
        squeezed.starts_with(b"{\"version\":")
            && squeezed
                .windows(b"\"pipeline\":{".len())
                .any(|w| w == b"\"pipeline\":{")
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
        if expected == 0 {
            return Err(ModelError::NoFeatures);
        }
        if self.centroids.is_empty() {
            return Err(ModelError::NoCentroids);
        }
        if let Some(bad) = self
            .centroids
            .iter()
            .position(|c| c.iter().any(|x| !x.is_finite()))
        {
            return Err(ModelError::NonFiniteCentroid(bad + 1));
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
        let matrix = self.pipeline.transform(catalog);
        let model = self.kmeans()?.assigned(matrix.view());
        Ok(model.labels().iter().map(|&l| l as usize).collect())
    }
}
