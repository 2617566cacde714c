//! The whole pipeline in one value: a catalog, its fitted features, the
//! k-means model, per-row distances and a 2-D PCA projection. The CLI, the
//! web worker and the tests all build it the same way.

use crate::catalog::Catalog;
use crate::error::Error;
use crate::features::{FeaturePipeline, FeatureSpec};
use crate::kmeans::{squared_distance, FitProgress, KMeansModel, KMeansParams};
use crate::model::{ModelError, SavedModel, MODEL_VERSION};
use crate::pca::Pca;
pub use crate::progress::Stage;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A catalog with everything needed to recommend and to draw it. Its parts
/// agree by construction: one feature row, label, distance and projected
/// point per movie, a contiguous feature matrix, centroids as wide as the
/// rows. They are private so nothing can make them drift apart; a decoded
/// one (from a worker message) is checked the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Parts")]
pub struct ClusteredCatalog {
    catalog: Catalog,
    pipeline: FeaturePipeline,
    matrix: Array2<f32>,
    model: KMeansModel,
    distances: Vec<f32>,
    projection: Array2<f32>,
    explained: Vec<f64>,
    params: KMeansParams,
}

/// A [`ClusteredCatalog`] as decoded, before its parts are checked.
#[derive(Deserialize)]
struct Parts {
    catalog: Catalog,
    pipeline: FeaturePipeline,
    matrix: Array2<f32>,
    model: KMeansModel,
    distances: Vec<f32>,
    projection: Array2<f32>,
    explained: Vec<f64>,
    params: KMeansParams,
}

impl TryFrom<Parts> for ClusteredCatalog {
    type Error = String;

    fn try_from(p: Parts) -> Result<ClusteredCatalog, String> {
        let n = p.catalog.len();
        let checks = [
            (p.matrix.nrows() == n, "feature rows"),
            (p.matrix.is_standard_layout(), "feature matrix layout"),
            (
                p.matrix.ncols() == p.pipeline.columns().len(),
                "feature columns",
            ),
            (p.model.labels().len() == n, "labels"),
            (
                p.model.centroids().ncols() == p.matrix.ncols(),
                "centroid width",
            ),
            (p.distances.len() == n, "distances"),
            (p.projection.dim() == (n, 2), "projected points"),
        ];
        if let Some((_, what)) = checks.iter().find(|(ok, _)| !ok) {
            return Err(format!(
                "a clustered catalog whose {what} do not match its {n} titles"
            ));
        }
        Ok(ClusteredCatalog {
            catalog: p.catalog,
            pipeline: p.pipeline,
            matrix: p.matrix,
            model: p.model,
            distances: p.distances,
            projection: p.projection,
            explained: p.explained,
            params: p.params,
        })
    }
}

impl ClusteredCatalog {
    /// Scales, clusters and projects a catalog.
    pub fn build(
        catalog: Catalog,
        spec: &FeatureSpec,
        params: &KMeansParams,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<ClusteredCatalog, Error> {
        let encoded = ClusteredCatalog::encode(catalog, spec, progress)?;
        let model = params.fit_with_progress(
            encoded.matrix.view(),
            &mut fit_progress(params.k(), progress),
        )?;
        encoded.clustered(model, params.clone(), progress)
    }

    /// The first half of [`ClusteredCatalog::build`]: the catalog's
    /// features fitted and encoded, ready for k-means wherever it runs.
    pub fn encode(
        catalog: Catalog,
        spec: &FeatureSpec,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<Encoded, Error> {
        progress(Stage::Scaling(0.0));
        let pipeline = FeaturePipeline::fit_with_progress(&catalog, spec, progress)?;
        progress(Stage::Encoding(0.0));
        let matrix = pipeline.transform_with_progress(&catalog, progress);
        Ok(Encoded {
            catalog,
            pipeline,
            matrix,
        })
    }

    /// A catalog clustered by a saved model: encoded with the model's
    /// feature pipeline (its medians, scales and kept categories, not ones
    /// fitted anew) and each title assigned to the nearest saved centroid.
    /// No k-means runs, so the clusters are the model's. Fails, saying
    /// why, when the model needs a column the catalog lacks or its numbers
    /// turn a title's features into non-finite values.
    pub fn with_model(
        catalog: Catalog,
        saved: &SavedModel,
        seed: u64,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<ClusteredCatalog, Error> {
        ClusteredCatalog::with_model_in(catalog, saved, None, seed, progress)
    }

    /// [`ClusteredCatalog::with_model`], with every title in cluster `c`
    /// when given (one cluster's file of a split catalog: its cluster is
    /// the file's, even where another centroid is as near to rounding).
    pub fn with_model_in(
        catalog: Catalog,
        saved: &SavedModel,
        cluster: Option<usize>,
        seed: u64,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<ClusteredCatalog, Error> {
        if catalog.len() < 2 {
            return Err(crate::features::FeatureError::TooFewTitles.into());
        }
        let model = saved.kmeans()?;
        saved
            .pipeline
            .fits(&catalog)
            .map_err(ModelError::DoesNotFit)?;
        progress(Stage::Encoding(0.0));
        let matrix = saved.pipeline.transform_with_progress(&catalog, progress);
        if let Some(pos) = matrix.iter().position(|x| !x.is_finite()) {
            let (row, column) = (pos / matrix.ncols(), pos % matrix.ncols());
            return Err(ModelError::NotFinite {
                title: catalog.movies()[row].title.clone(),
                feature: saved.pipeline.columns()[column].name.clone(),
            }
            .into());
        }
        progress(Stage::Clustering(1));
        let model = match cluster {
            Some(c) if c < model.k() => model.all_in(matrix.view(), c),
            _ => model.assigned(matrix.view()),
        };
        let params = KMeansParams::new(model.k()).seed(seed);
        let pipeline = saved.pipeline.clone();
        Ok(ClusteredCatalog::project(
            catalog, pipeline, matrix, model, params, progress,
        ))
    }

    /// The parts every clustered catalog has: the 2-D projection and each
    /// title's distance to its centroid.
    fn project(
        catalog: Catalog,
        pipeline: FeaturePipeline,
        matrix: Array2<f32>,
        model: KMeansModel,
        params: KMeansParams,
        progress: &mut dyn FnMut(Stage),
    ) -> ClusteredCatalog {
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
        ClusteredCatalog {
            catalog,
            pipeline,
            matrix,
            model,
            distances,
            projection,
            explained,
            params,
        }
    }

    /// The movies.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The fitted features.
    pub fn pipeline(&self) -> &FeaturePipeline {
        &self.pipeline
    }

    /// One feature row per movie (contiguous, row after row).
    pub fn matrix(&self) -> &Array2<f32> {
        &self.matrix
    }

    /// The k-means model (labels in catalog order).
    pub fn model(&self) -> &KMeansModel {
        &self.model
    }

    /// The model as saved: the fitted pipeline and the centroids.
    pub fn saved_model(&self) -> SavedModel {
        SavedModel {
            version: MODEL_VERSION,
            pipeline: self.pipeline.clone(),
            centroids: self
                .model
                .centroids()
                .rows()
                .into_iter()
                .map(|r| r.to_vec())
                .collect(),
        }
    }

    /// Euclidean distance of each movie to its centroid.
    pub fn distances(&self) -> &[f32] {
        &self.distances
    }

    /// 2-D PCA coordinates of each movie (always two columns).
    pub fn projection(&self) -> &Array2<f32> {
        &self.projection
    }

    /// Explained variance ratio of the two projected components.
    pub fn explained(&self) -> &[f64] {
        &self.explained
    }

    /// The parameters the model was fitted with.
    pub fn params(&self) -> &KMeansParams {
        &self.params
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
        let rows = self
            .matrix
            .as_slice()
            .expect("the feature matrix is contiguous: built so, and checked when decoded");
        &rows[index * d..(index + 1) * d]
    }
}

/// A catalog whose features are encoded, not yet clustered (see
/// [`ClusteredCatalog::encode`]).
pub struct Encoded {
    catalog: Catalog,
    pipeline: FeaturePipeline,
    matrix: Array2<f32>,
}

impl Encoded {
    /// The feature matrix, one standard-layout row per title.
    pub fn matrix(&self) -> &Array2<f32> {
        &self.matrix
    }

    /// The clustered catalog, from a k-means model fitted to [`Encoded::matrix`]
    /// (refused when its labels or centroids do not fit the matrix).
    pub fn clustered(
        self,
        model: KMeansModel,
        params: KMeansParams,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<ClusteredCatalog, Error> {
        let k = model.k();
        if model.labels().len() != self.matrix.nrows()
            || model.centroids().ncols() != self.matrix.ncols()
            || model.labels().iter().any(|&l| l as usize >= k)
        {
            return Err(crate::kmeans::KMeansError::Invalid(format!(
                "a k-means model of {} labels and {} columns does not fit {} titles of {} features",
                model.labels().len(),
                model.centroids().ncols(),
                self.matrix.nrows(),
                self.matrix.ncols()
            ))
            .into());
        }
        Ok(ClusteredCatalog::project(
            self.catalog,
            self.pipeline,
            self.matrix,
            model,
            params,
            progress,
        ))
    }
}

/// k-means progress as the build's stages: seeding's share of `k`, then iterations.
pub fn fit_progress(k: usize, progress: &mut dyn FnMut(Stage)) -> impl FnMut(FitProgress) + '_ {
    move |p| match p {
        FitProgress::Seeding { placed, .. } => progress(Stage::Seeding(placed as f32 / k as f32)),
        FitProgress::Assigning { iteration, .. } | FitProgress::Iteration { iteration, .. } => {
            progress(Stage::Clustering(iteration))
        }
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
            let contiguous = "rows of the feature matrix and of the centroids are contiguous";
            squared_distance(
                row.as_slice().expect(contiguous),
                c.as_slice().expect(contiguous),
            )
            .sqrt()
        })
        .collect()
}

/// The k used when none is given: about one cluster per 200 titles, 2 to 40
/// (the tutorials used 9 to 40), never more than the number of titles.
pub fn default_k(titles: usize) -> usize {
    (titles / 200).clamp(2, 40).min(titles.max(1))
}
