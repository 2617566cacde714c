//! Turning movies into rows of numbers: a declarative [`FeatureSpec`], fitted
//! once on a catalog into a [`FeaturePipeline`], then applied to any movie.
//!
//! Categories are one-hot encoded (top N values plus "other"), numbers are
//! imputed with the median, optionally log-transformed (vote counts) and
//! IQR-clipped, then min-max or z-score scaled, and every column is
//! multiplied by the weight of its [`FeatureGroup`] so a user can say what
//! "similar" means. The matrix is `f32`.

use crate::catalog::{Catalog, Movie};
use crate::progress::Stage;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// How numeric columns are scaled after imputation, log and clipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scaling {
    /// `(x - min) / (max - min)`, into [0, 1].
    MinMax,
    /// `(x - mean) / std`.
    ZScore,
}

/// What a feature column is about; each group has its own weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FeatureGroup {
    /// Genre one-hot columns.
    Genres,
    /// Release year.
    Era,
    /// Vote count and popularity score.
    Popularity,
    /// Rating (Bayesian weighted by default).
    Rating,
    /// Running time.
    Runtime,
    /// Language one-hot columns.
    Language,
    /// Every other number or category column.
    Other,
    /// Taste factors: where the title sits among audiences (see [`crate::taste`]).
    Taste,
}

impl FeatureGroup {
    /// Every group, in display order.
    pub const ALL: [FeatureGroup; 8] = [
        FeatureGroup::Taste,
        FeatureGroup::Genres,
        FeatureGroup::Era,
        FeatureGroup::Popularity,
        FeatureGroup::Rating,
        FeatureGroup::Runtime,
        FeatureGroup::Language,
        FeatureGroup::Other,
    ];

    /// Lowercase name used in the CLI, the UI and saved models.
    pub fn name(self) -> &'static str {
        match self {
            FeatureGroup::Genres => "genres",
            FeatureGroup::Era => "era",
            FeatureGroup::Popularity => "popularity",
            FeatureGroup::Rating => "rating",
            FeatureGroup::Runtime => "runtime",
            FeatureGroup::Language => "language",
            FeatureGroup::Other => "other",
            FeatureGroup::Taste => "taste",
        }
    }
}

/// A weight per feature group; 0 removes the group from the distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupWeights(pub Vec<(FeatureGroup, f32)>);

impl Default for GroupWeights {
    fn default() -> Self {
        GroupWeights(
            FeatureGroup::ALL
                .iter()
                .map(|&g| {
                    let weight = match g {
                        // Measured best in the offline evaluation (docs/benchmarks.md): taste
                        // must outweigh what titles look like on paper.
                        FeatureGroup::Taste => 4.0,
                        FeatureGroup::Other => 0.5,
                        _ => 1.0,
                    };
                    (g, weight)
                })
                .collect(),
        )
    }
}

impl GroupWeights {
    /// The weight of `group` (1 if unset).
    pub fn get(&self, group: FeatureGroup) -> f32 {
        self.0
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, w)| *w)
            .unwrap_or(1.0)
    }

    /// Sets the weight of `group`.
    pub fn set(&mut self, group: FeatureGroup, weight: f32) {
        match self.0.iter_mut().find(|(g, _)| *g == group) {
            Some(entry) => entry.1 = weight,
            None => self.0.push((group, weight)),
        }
    }
}

/// What the feature matrix should contain; see the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Scaling of numeric columns.
    pub scaling: Scaling,
    /// Genres kept as their own column; the rest share "genre:other".
    pub top_genres: usize,
    /// Languages kept as their own column; the rest share "language:other".
    pub top_languages: usize,
    /// Values per `Category` column kept as their own column.
    pub top_categories: usize,
    /// Clip numbers to [Q1 - 1.5 IQR, Q3 + 1.5 IQR] before scaling.
    pub clip_outliers: bool,
    /// Use the Bayesian weighted rating WR = v/(v+m)·R + m/(v+m)·C instead of the raw mean.
    pub weighted_rating: bool,
    /// Quantile of vote counts used as `m` in the weighted rating.
    pub vote_quantile: f64,
    /// Weight per group.
    pub weights: GroupWeights,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        FeatureSpec {
            scaling: Scaling::MinMax,
            top_genres: 20,
            top_languages: 8,
            top_categories: 8,
            clip_outliers: false,
            weighted_rating: true,
            vote_quantile: 0.8,
            weights: GroupWeights::default(),
        }
    }
}

/// Where a numeric column's raw value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NumericSource {
    /// Release year.
    Year,
    /// Running time.
    Runtime,
    /// Rating (weighted if the pipeline has a prior).
    Rating,
    /// Vote count.
    Votes,
    /// Popularity score.
    Popularity,
    /// The n-th `Number` column.
    Number(usize),
}

/// How one output column is computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// A scaled number.
    Numeric {
        /// Raw value.
        source: NumericSource,
        /// Apply `ln(1 + x)` first.
        log: bool,
        /// Value used when the raw one is missing (after log).
        median: f64,
        /// Clip bounds (after log), if outlier clipping is on.
        clip: Option<(f64, f64)>,
        /// Subtracted before dividing by `scale`.
        offset: f64,
        /// Divides the centred value; never 0.
        scale: f64,
    },
    /// 1 if the movie has this genre (`None`: any genre outside the top N).
    Genre(Option<String>),
    /// 1 if the movie's language is this one (`None`: any other language).
    Language(Option<String>),
    /// 1 if the n-th `Category` column has this value (`None`: any other value).
    Category(usize, Option<String>),
    /// The n-th taste factor as it is (factors are unit vectors; 0 when the title has none).
    Taste(usize),
}

/// One column of the feature matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureColumn {
    /// Name in the exported matrix header, for example `genre:Drama` or `log_votes`.
    pub name: String,
    /// The group whose weight applies.
    pub group: FeatureGroup,
    /// How the value is computed.
    pub kind: ColumnKind,
}

/// The prior of the Bayesian weighted rating.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatingPrior {
    /// Votes needed before a movie's own mean dominates (`m`).
    pub min_votes: f64,
    /// Mean rating over the catalog (`C`).
    pub mean_rating: f64,
}

impl RatingPrior {
    /// WR = v/(v+m)·R + m/(v+m)·C; the raw rating when votes are unknown.
    pub fn weighted(&self, rating: f64, votes: Option<f64>) -> f64 {
        match votes {
            Some(v) if v + self.min_votes > 0.0 => {
                (v * rating + self.min_votes * self.mean_rating) / (v + self.min_votes)
            }
            _ => rating,
        }
    }
}

/// Why features cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeatureError {
    /// Every column was constant, missing or weighted 0.
    #[error("no usable features: every column is empty, constant or weighted 0 (the catalog needs genres, years, ratings or other values that differ between titles)")]
    NoFeatures,
    /// One title cannot be compared with anything.
    #[error("the catalog has only 1 title; at least 2 are needed to find similar ones")]
    TooFewTitles,
    /// A spec value is out of range.
    #[error("invalid feature setting: {0}")]
    InvalidSpec(String),
}

/// A [`FeatureSpec`] fitted to a catalog: medians, scales, kept categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeaturePipeline {
    spec: FeatureSpec,
    columns: Vec<FeatureColumn>,
    prior: Option<RatingPrior>,
}

/// The `q` quantile (0..=1) of sorted values, by linear interpolation.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let t = pos - lo as f64;
    // A weighted mean, not `a + (b - a)·t`: the difference of two finite
    // values can overflow (−1e308 to 1e308), and ∞·0 is NaN.
    sorted[lo] * (1.0 - t) + sorted[hi] * t
}

/// A count on a log scale, `ln(1 + x)`; never NaN (a negative value counts
/// as 0). The one transform the fit and every encoded row share.
fn log_count(x: f64) -> f64 {
    x.max(0.0).ln_1p()
}

fn sorted_finite(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    // Unstable is fine: equal floats are interchangeable, and it is twice as fast.
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// The most frequent values, ties broken alphabetically so the result is deterministic.
fn top_values<'a>(values: impl Iterator<Item = &'a str>, n: usize) -> Vec<String> {
    let mut counts: crate::text::FastMap<&str, usize> = crate::text::FastMap::default();
    for v in values {
        *counts.entry(v).or_insert(0) += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(n)
        .map(|(v, _)| v.to_string())
        .collect()
}

impl FeaturePipeline {
    /// Fits the spec to a catalog.
    pub fn fit(catalog: &Catalog, spec: &FeatureSpec) -> Result<FeaturePipeline, FeatureError> {
        FeaturePipeline::fit_with_progress(catalog, spec, &mut |_| {})
    }

    /// [`FeaturePipeline::fit`], reporting [`Stage::Scaling`] with the share
    /// of columns fitted: at a million titles each column takes a noticeable moment.
    pub fn fit_with_progress(
        catalog: &Catalog,
        spec: &FeatureSpec,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<FeaturePipeline, FeatureError> {
        if !(0.0..=1.0).contains(&spec.vote_quantile) {
            return Err(FeatureError::InvalidSpec(format!(
                "vote quantile {} is outside 0..1",
                spec.vote_quantile
            )));
        }
        if let Some((g, w)) = spec
            .weights
            .0
            .iter()
            .find(|(_, w)| !w.is_finite() || *w < 0.0)
        {
            return Err(FeatureError::InvalidSpec(format!(
                "weight {w} for {} must be a number ≥ 0",
                g.name()
            )));
        }
        let movies = catalog.movies();
        if movies.len() < 2 {
            return Err(FeatureError::TooFewTitles);
        }
        let prior = if spec.weighted_rating {
            let ratings = sorted_finite(movies.iter().filter_map(|m| m.rating));
            let votes = sorted_finite(movies.iter().filter_map(|m| m.votes));
            (!ratings.is_empty() && !votes.is_empty()).then(|| RatingPrior {
                min_votes: quantile(&votes, spec.vote_quantile),
                mean_rating: ratings.iter().sum::<f64>() / ratings.len() as f64,
            })
        } else {
            None
        };
        let mut pipeline = FeaturePipeline {
            spec: spec.clone(),
            columns: Vec::new(),
            prior,
        };
        let weight = |g| spec.weights.get(g);
        // Taste factors are already on a common scale (unit vectors): no
        // fitting, only the group's weight.
        if weight(FeatureGroup::Taste) > 0.0 {
            for i in 0..catalog.taste_dims() {
                pipeline.columns.push(FeatureColumn {
                    name: format!("taste_{}", i + 1),
                    group: FeatureGroup::Taste,
                    kind: ColumnKind::Taste(i),
                });
            }
        }
        // Steps: genres, language, each category column, each numeric source,
        // the check for constant columns.
        let steps = 2 + catalog.category_columns.len() + 5 + catalog.number_columns.len() + 1;
        // Steps done so far; a step may advance in parts.
        let mut done = 0.0f32;
        let mut advance = |by: f32| {
            done += by;
            progress(Stage::Scaling(done / steps as f32));
        };

        if weight(FeatureGroup::Genres) > 0.0 {
            let genres = movies
                .iter()
                .flat_map(|m| m.genres.iter().map(String::as_str));
            let top = top_values(genres, spec.top_genres);
            pipeline.push_categorical("genre", FeatureGroup::Genres, top, ColumnKind::Genre);
        }
        advance(1.0);
        if weight(FeatureGroup::Language) > 0.0 {
            let top = top_values(
                movies.iter().filter_map(|m| m.language.as_deref()),
                spec.top_languages,
            );
            pipeline.push_categorical(
                "language",
                FeatureGroup::Language,
                top,
                ColumnKind::Language,
            );
        }
        advance(1.0);
        if weight(FeatureGroup::Other) > 0.0 {
            for (i, name) in catalog.category_columns.iter().enumerate() {
                let values = movies.iter().filter_map(|m| m.categories[i].as_deref());
                let top = top_values(values, spec.top_categories);
                pipeline.push_categorical(name, FeatureGroup::Other, top, |v| {
                    ColumnKind::Category(i, v)
                });
                advance(1.0);
            }
        }

        let mut numeric = vec![
            ("year", FeatureGroup::Era, NumericSource::Year, false),
            (
                "runtime",
                FeatureGroup::Runtime,
                NumericSource::Runtime,
                false,
            ),
            (
                if pipeline.prior.is_some() {
                    "weighted_rating"
                } else {
                    "rating"
                },
                FeatureGroup::Rating,
                NumericSource::Rating,
                false,
            ),
            (
                "log_votes",
                FeatureGroup::Popularity,
                NumericSource::Votes,
                true,
            ),
            (
                "log_popularity",
                FeatureGroup::Popularity,
                NumericSource::Popularity,
                true,
            ),
        ];
        let number_names: Vec<String> = catalog.number_columns.clone();
        for (i, _) in number_names.iter().enumerate() {
            numeric.push(("", FeatureGroup::Other, NumericSource::Number(i), false));
        }
        for (name, group, source, log) in numeric {
            advance(1.0);
            if weight(group) <= 0.0 {
                continue;
            }
            let raw = sorted_finite(movies.iter().filter_map(|m| pipeline.raw(m, source)));
            if raw.is_empty() {
                continue;
            }
            // Heavy-tailed, non-negative extra numbers (budgets, revenues) are logged too.
            let log = log
                || matches!(source, NumericSource::Number(_))
                    && raw[0] >= 0.0
                    && quantile(&raw, 0.99) > 50.0 * quantile(&raw, 0.5).max(1.0);
            let values: Vec<f64> = if log {
                raw.iter().copied().map(log_count).collect()
            } else {
                raw
            };
            let median = quantile(&values, 0.5);
            let clip = spec.clip_outliers.then(|| {
                let (q1, q3) = (quantile(&values, 0.25), quantile(&values, 0.75));
                let iqr = q3 - q1;
                (q1 - 1.5 * iqr, q3 + 1.5 * iqr)
            });
            let clipped: Vec<f64> = values
                .iter()
                .map(|&x| clip.map_or(x, |(lo, hi)| x.clamp(lo, hi)))
                .collect();
            let (offset, scale) = match spec.scaling {
                Scaling::MinMax => {
                    let (lo, hi) = (
                        clipped[0].min(median),
                        clipped[clipped.len() - 1].max(median),
                    );
                    (lo, hi - lo)
                }
                Scaling::ZScore => {
                    let mean = clipped.iter().sum::<f64>() / clipped.len() as f64;
                    let var = clipped.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
                        / clipped.len() as f64;
                    (mean, var.sqrt())
                }
            };
            // Constant columns carry no information; a range that overflows
            // f64 (values near ±1e308) has no usable scale. Both are dropped.
            if !scale.is_finite()
                || !offset.is_finite()
                || scale <= f64::EPSILON * offset.abs().max(1.0)
            {
                continue;
            }
            let name = match source {
                NumericSource::Number(i) if log => format!("log_{}", number_names[i]),
                NumericSource::Number(i) => number_names[i].clone(),
                _ => name.to_string(),
            };
            pipeline.columns.push(FeatureColumn {
                name,
                group,
                kind: ColumnKind::Numeric {
                    source,
                    log,
                    median,
                    clip,
                    offset,
                    scale,
                },
            });
        }
        // A one-hot column every title shares (or none has) carries no
        // information. This check reads every movie, the fit's longest step
        // at a million titles, so it reports its share as it goes.
        const EVERY: usize = 100_000;
        let d = pipeline.columns.len();
        let mut seen_zero = vec![false; d];
        let mut seen_one = vec![false; d];
        let mut row = vec![0.0f32; d];
        let part = EVERY as f32 / movies.len() as f32;
        let mut reported = 0.0;
        for (i, movie) in movies.iter().enumerate() {
            if i % EVERY == EVERY - 1 {
                advance(part);
                reported += part;
            }
            pipeline.transform_into(movie, &mut row);
            for (c, &x) in row.iter().enumerate() {
                if x == 0.0 {
                    seen_zero[c] = true;
                } else {
                    seen_one[c] = true;
                }
            }
        }
        advance(1.0 - reported);
        let mut keep = (0..d).map(|c| seen_zero[c] && seen_one[c]);
        pipeline.columns.retain(|column| {
            keep.next().unwrap_or(true)
                || matches!(
                    column.kind,
                    ColumnKind::Numeric { .. } | ColumnKind::Taste(_)
                )
        });
        if pipeline.columns.is_empty() {
            return Err(FeatureError::NoFeatures);
        }
        Ok(pipeline)
    }

    /// One-hot columns for the `top` values of one field, and one for any
    /// other value. Columns that turn out constant are dropped at the end of
    /// [`FeaturePipeline::fit`].
    fn push_categorical(
        &mut self,
        prefix: &str,
        group: FeatureGroup,
        top: Vec<String>,
        kind: impl Fn(Option<String>) -> ColumnKind,
    ) {
        for value in top {
            self.columns.push(FeatureColumn {
                name: format!("{prefix}:{value}"),
                group,
                kind: kind(Some(value)),
            });
        }
        self.columns.push(FeatureColumn {
            name: format!("{prefix}:other"),
            group,
            kind: kind(None),
        });
    }

    /// The raw value before imputation and scaling.
    fn raw(&self, movie: &Movie, source: NumericSource) -> Option<f64> {
        let value = match source {
            NumericSource::Year => movie.year.map(f64::from),
            NumericSource::Runtime => movie.runtime,
            NumericSource::Rating => movie
                .rating
                .map(|r| self.prior.map_or(r, |p| p.weighted(r, movie.votes))),
            NumericSource::Votes => movie.votes,
            NumericSource::Popularity => movie.popularity,
            NumericSource::Number(i) => movie.numbers.get(i).copied().flatten(),
        };
        value.filter(|v| v.is_finite())
    }

    /// The spec this pipeline was fitted from.
    pub fn spec(&self) -> &FeatureSpec {
        &self.spec
    }

    /// The output columns, in matrix order.
    pub fn columns(&self) -> &[FeatureColumn] {
        &self.columns
    }

    /// The weighted-rating prior, if the catalog has ratings and votes.
    pub fn prior(&self) -> Option<RatingPrior> {
        self.prior
    }

    /// Whether this pipeline can encode `catalog`: every number and
    /// category column it reads exists there under the same name, and the
    /// catalog has as many taste factors as it uses. (Genres and languages
    /// always fit: a catalog without them encodes as "none of these".)
    pub fn fits(&self, catalog: &Catalog) -> Result<(), String> {
        let listed = |names: &[String]| match names {
            [] => "it has none".to_string(),
            names => format!("it has {}", names.join(", ")),
        };
        for column in &self.columns {
            match &column.kind {
                ColumnKind::Numeric {
                    source: NumericSource::Number(i),
                    log,
                    ..
                } => {
                    let wanted = match log {
                        true => column.name.strip_prefix("log_").unwrap_or(&column.name),
                        false => &column.name,
                    };
                    if catalog.number_columns.get(*i).map(String::as_str) != Some(wanted) {
                        return Err(format!(
                            "it reads the number column \"{wanted}\", which this catalog does not have as number column {} ({})",
                            i + 1,
                            listed(&catalog.number_columns)
                        ));
                    }
                }
                ColumnKind::Category(i, _) => {
                    let named = catalog
                        .category_columns
                        .get(*i)
                        .is_some_and(|c| column.name.starts_with(&format!("{c}:")));
                    if !named {
                        let wanted = column.name.rsplit_once(':').map_or("?", |(c, _)| c);
                        return Err(format!(
                            "it reads the category column \"{wanted}\", which this catalog does not have as category column {} ({})",
                            i + 1,
                            listed(&catalog.category_columns)
                        ));
                    }
                }
                ColumnKind::Taste(i) if *i >= catalog.taste_dims() => {
                    return Err(format!(
                        "it uses {} taste factors and this catalog has {} (open the catalog with the ratings it was made with)",
                        self.columns.iter().filter(|c| matches!(c.kind, ColumnKind::Taste(_))).count(),
                        catalog.taste_dims()
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The pipeline with `n` taste columns in place of the catalog's (none
    /// when the taste weight is 0), first as [`FeaturePipeline::fit`] puts
    /// them: for factors learnt after the pipeline is fitted, elsewhere (the
    /// Spark job's ALS). Taste columns have nothing fitted, only the weight.
    pub fn with_taste_factors(mut self, n: usize) -> FeaturePipeline {
        self.columns
            .retain(|c| !matches!(c.kind, ColumnKind::Taste(_)));
        if self.spec.weights.get(FeatureGroup::Taste) > 0.0 {
            let taste = (0..n).map(|i| FeatureColumn {
                name: format!("taste_{}", i + 1),
                group: FeatureGroup::Taste,
                kind: ColumnKind::Taste(i),
            });
            self.columns.splice(0..0, taste);
        }
        self
    }

    /// Column names, for a matrix header.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// Writes one movie's features into `out` (length = number of columns).
    pub fn transform_into(&self, movie: &Movie, out: &mut [f32]) {
        for (value, column) in out.iter_mut().zip(&self.columns) {
            let raw = match &column.kind {
                ColumnKind::Numeric { source, log, median, clip, offset, scale } => {
                    let x = self
                        .raw(movie, *source)
                        .map(|x| if *log { log_count(x) } else { x })
                        .unwrap_or(*median);
                    let x = clip.map_or(x, |(lo, hi)| x.clamp(lo, hi));
                    (x - offset) / scale
                }
                ColumnKind::Genre(Some(g)) => f64::from(u8::from(movie.genres.contains(g))),
                ColumnKind::Genre(None) => f64::from(u8::from(movie.genres.iter().any(|g| {
                    !self.columns.iter().any(|c| matches!(&c.kind, ColumnKind::Genre(Some(x)) if x == g))
                }))),
                ColumnKind::Language(Some(l)) => f64::from(u8::from(movie.language.as_ref() == Some(l))),
                ColumnKind::Language(None) => f64::from(u8::from(movie.language.as_ref().is_some_and(|l| {
                    !self.columns.iter().any(|c| matches!(&c.kind, ColumnKind::Language(Some(x)) if x == l))
                }))),
                ColumnKind::Category(i, Some(v)) => {
                    f64::from(u8::from(movie.categories.get(*i).and_then(|c| c.as_ref()) == Some(v)))
                }
                ColumnKind::Taste(i) => f64::from(movie.taste.get(*i).copied().unwrap_or(0.0)),
                ColumnKind::Category(i, None) => f64::from(u8::from(
                    movie.categories.get(*i).and_then(|c| c.as_ref()).is_some_and(|v| {
                        !self.columns.iter().any(|c| matches!(&c.kind, ColumnKind::Category(j, Some(x)) if j == i && x == v))
                    }),
                )),
            };
            *value = (raw * f64::from(self.spec.weights.get(column.group))) as f32;
        }
    }

    /// The feature matrix of a catalog: one row per movie, in catalog order.
    pub fn transform(&self, catalog: &Catalog) -> Array2<f32> {
        self.transform_with_progress(catalog, &mut |_| {})
    }

    /// [`FeaturePipeline::transform`], reporting [`Stage::Encoding`] with the
    /// share of movies encoded every 100,000 movies.
    pub fn transform_with_progress(
        &self,
        catalog: &Catalog,
        progress: &mut dyn FnMut(Stage),
    ) -> Array2<f32> {
        const EVERY: usize = 100_000;
        let d = self.columns.len();
        let mut matrix = Array2::<f32>::zeros((catalog.len(), d));
        for (i, (movie, mut row)) in catalog.movies().iter().zip(matrix.rows_mut()).enumerate() {
            if i % EVERY == EVERY - 1 {
                progress(Stage::Encoding(i as f32 / catalog.len() as f32));
            }
            if let Some(slice) = row.as_slice_mut() {
                self.transform_into(movie, slice);
            }
        }
        matrix
    }

    /// The weighted rating of a movie (or its raw rating without a prior).
    pub fn weighted_rating(&self, movie: &Movie) -> Option<f64> {
        self.raw(movie, NumericSource::Rating)
    }
}

#[cfg(test)]
mod tests;
