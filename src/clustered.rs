//! The whole pipeline in one value: a catalog, its fitted features, the
//! k-means model, per-row distances and a 2-D PCA projection. The CLI, the
//! web worker and the tests all build it the same way.

use crate::catalog::Catalog;
use crate::features::{FeaturePipeline, FeatureSpec};
use crate::kmeans::{squared_distance, FitProgress, KMeansModel, KMeansParams};
use crate::pca::Pca;
pub use crate::progress::Stage;
use crate::Error;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A catalog with everything needed to recommend and to draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusteredCatalog {
    /// The movies.
    pub catalog: Catalog,
    /// The fitted features.
    pub pipeline: FeaturePipeline,
    /// One feature row per movie.
    pub matrix: Array2<f32>,
    /// The k-means model (labels in catalog order).
    pub model: KMeansModel,
    /// Euclidean distance of each movie to its centroid.
    pub distances: Vec<f32>,
    /// 2-D PCA coordinates of each movie (always two columns).
    pub projection: Array2<f32>,
    /// Explained variance ratio of the two projected components.
    pub explained: Vec<f64>,
    /// The parameters the model was fitted with.
    pub params: KMeansParams,
}

impl ClusteredCatalog {
    /// Scales, clusters and projects a catalog.
    pub fn build(
        catalog: Catalog,
        spec: &FeatureSpec,
        params: &KMeansParams,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<ClusteredCatalog, Error> {
        progress(Stage::Scaling(0.0));
        let pipeline = FeaturePipeline::fit_with_progress(&catalog, spec, progress)?;
        progress(Stage::Encoding(0.0));
        let matrix = pipeline.transform_with_progress(&catalog, progress);
        let k = params.k();
        let model = params.fit_with_progress(matrix.view(), &mut |p| match p {
            FitProgress::Seeding { placed, .. } => {
                progress(Stage::Seeding(placed as f32 / k as f32))
            }
            FitProgress::Iteration { iteration, .. } => progress(Stage::Clustering(iteration)),
        })?;
        progress(Stage::Projecting);
        let pca = Pca::fit(matrix.view(), 2);
        // Always two columns: a catalog with a single feature gets a flat second axis.
        let mut projection = Array2::<f32>::zeros((matrix.nrows(), 2));
        let projected = pca.transform(matrix.view());
        projection
            .slice_mut(ndarray::s![.., ..projected.ncols()])
            .assign(&projected);
        let mut explained = pca.explained_variance_ratio();
        explained.resize(2, 0.0);
        let distances = distances_to_centroids(&matrix, &model);
        Ok(ClusteredCatalog {
            catalog,
            pipeline,
            matrix,
            model,
            distances,
            projection,
            explained,
            params: params.clone(),
        })
    }

    /// Cluster of movie `index`.
    pub fn cluster_of(&self, index: usize) -> usize {
        self.model.labels()[index] as usize
    }

    /// Number of movies in each cluster.
    pub fn cluster_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.model.k()];
        for &l in self.model.labels() {
            sizes[l as usize] += 1;
        }
        sizes
    }

    /// Feature row of movie `index`.
    pub fn row(&self, index: usize) -> &[f32] {
        let d = self.matrix.ncols();
        self.matrix
            .as_slice()
            .map_or(&[][..], |s| &s[index * d..(index + 1) * d])
    }
}

/// Euclidean distance of each row to its assigned centroid.
pub fn distances_to_centroids(matrix: &Array2<f32>, model: &KMeansModel) -> Vec<f32> {
    matrix
        .rows()
        .into_iter()
        .zip(model.labels())
        .map(|(row, &l)| {
            let c = model.centroids().row(l as usize);
            match (row.as_slice(), c.as_slice()) {
                (Some(r), Some(c)) => squared_distance(r, c).sqrt(),
                _ => 0.0,
            }
        })
        .collect()
}

/// The k used when none is given: about one cluster per 200 titles, 2 to 40
/// (the tutorials used 9 to 40), never more than the number of titles.
pub fn default_k(titles: usize) -> usize {
    (titles / 200).clamp(2, 40).min(titles.max(1))
}
