//! k-means clustering of an f32 matrix: greedy k-means++ seeding, `n_init`
//! restarts keeping the lowest inertia, and exact Lloyd or Hamerly
//! iterations (see [`algorithm`](self) docs for the empty-cluster policy).
//!
//! ```
//! use ndarray::array;
//! use reelmeans::KMeansParams;
//! let data = array![[0.0f32, 0.0], [0.1, 0.0], [10.0, 10.0], [10.1, 10.0]];
//! let model = KMeansParams::new(2).seed(1).fit(data.view()).unwrap();
//! assert_eq!(model.labels()[0], model.labels()[1]);
//! assert_ne!(model.labels()[0], model.labels()[2]);
//! ```

mod algorithm;
mod choose;
mod distance;
mod hyperparams;
mod init;
mod messages;
mod shards;

pub use choose::{elbow, suggest_k, ElbowPoint};
pub use distance::{nearest, squared_distance, Transposed};
pub use hyperparams::{Algorithm, KMeansParams};
pub(crate) use init::{sample, unit};

pub use algorithm::{Coordinator, Shard};
// The conversation's other half runs in the browser's shard workers (`web`).
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub use algorithm::Absorbed;
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub use init::Seeded;
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub use messages::{Order, Reply};

pub use init::Seeder;

use algorithm::{run, seed_centres, shard_rows, RunConfig, RunResult};
use messages::FixedPoint;
use ndarray::{Array2, ArrayView2};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Why k-means cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KMeansError {
    /// k = 0.
    #[error("the number of clusters k must be at least 1")]
    ZeroClusters,
    /// More clusters than points.
    #[error("k = {k} is more than the {rows} titles available; choose k ≤ {rows}")]
    TooManyClusters {
        /// Requested k.
        k: usize,
        /// Rows in the data.
        rows: usize,
    },
    /// No rows or no columns.
    #[error("there is no data to cluster")]
    NoData,
    /// A value in the matrix is NaN or infinite.
    #[error("row {row}, column {column} of the feature matrix is not a finite number")]
    NonFinite {
        /// 0-based row.
        row: usize,
        /// 0-based column.
        column: usize,
    },
    /// Another parameter is out of range.
    #[error("{0}")]
    Invalid(String),
}

/// Progress of a fit, reported through [`KMeansParams::fit_with_progress`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FitProgress {
    /// Centroid `placed` of `k` seeded in start `start` (0-based) of `n_init`.
    Seeding {
        /// Which start.
        start: usize,
        /// Centres placed so far.
        placed: usize,
    },
    /// Iteration `iteration` of start `start` has assigned `share` of its
    /// shards (reported only where shards run one after another, as in the
    /// browser's worker: a million rows' first assignment takes a while).
    Assigning {
        /// Which start.
        start: usize,
        /// 1-based iteration in progress.
        iteration: usize,
        /// Share of the shards assigned.
        share: f32,
    },
    /// Iteration `iteration` of start `start` finished.
    Iteration {
        /// Which start.
        start: usize,
        /// 1-based iteration.
        iteration: usize,
    },
}

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansModel {
    centroids: Array2<f32>,
    labels: Vec<u32>,
    inertia: f64,
    iterations: usize,
    distance_computations: u64,
}

impl KMeansModel {
    /// Centroids, `k × d`.
    pub fn centroids(&self) -> &Array2<f32> {
        &self.centroids
    }

    /// Cluster of each row, `0..k`.
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }

    /// Sum of squared distances from each row to its centroid.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Iterations of the kept start.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Point-to-centroid distance computations in the kept start (Hamerly's saving shows here).
    pub fn distance_computations(&self) -> u64 {
        self.distance_computations
    }

    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.centroids.nrows()
    }

    /// Nearest centroid of a row (lowest index on ties).
    pub fn predict(&self, row: &[f32]) -> usize {
        let dim = self.centroids.ncols();
        let centroids = self
            .centroids
            .as_slice()
            .expect("centroids are contiguous: fitted row after row, or made so by from_centroids");
        // The fit's own kernel, so a fitted row is predicted into its cluster.
        Transposed::new(centroids, dim).nearest(row).0
    }

    /// Builds a model from saved centroids (labels empty until assigned).
    pub fn from_centroids(centroids: Array2<f32>) -> KMeansModel {
        KMeansModel {
            centroids: centroids.as_standard_layout().into_owned(),
            labels: Vec::new(),
            inertia: 0.0,
            iterations: 0,
            distance_computations: 0,
        }
    }

    /// The model with every row of `data` assigned to its nearest centroid
    /// (labels and inertia set; no iteration runs, the centroids stay).
    /// `data` must be as wide as the centroids.
    pub fn assigned(mut self, data: ArrayView2<'_, f32>) -> KMeansModel {
        let dim = self.centroids.ncols();
        debug_assert_eq!(data.ncols(), dim);
        let centroids = self
            .centroids
            .as_slice()
            .expect("centroids are contiguous: fitted row after row, or made so by from_centroids");
        let data = data.as_standard_layout();
        let rows = data
            .as_slice()
            .expect("a standard-layout array is contiguous");
        let (mut labels, mut inertia) = (Vec::with_capacity(data.nrows()), 0.0f64);
        let all = Transposed::new(centroids, dim);
        for row in rows.chunks_exact(dim.max(1)) {
            let (label, squared) = all.nearest(row);
            labels.push(label as u32);
            inertia += f64::from(squared);
        }
        self.distance_computations = (data.nrows() * self.k()) as u64;
        (self.labels, self.inertia) = (labels, inertia);
        self
    }

    /// The model with every row of `data` in cluster `c`, whatever centroid
    /// is nearest (a prepared split catalog's rows, whose file says their
    /// cluster); the inertia is their squared distance to it.
    pub fn all_in(mut self, data: ArrayView2<'_, f32>, c: usize) -> KMeansModel {
        let dim = self.centroids.ncols();
        debug_assert_eq!(data.ncols(), dim);
        let centroid = self.centroids.row(c).to_vec();
        let data = data.as_standard_layout();
        let rows = data
            .as_slice()
            .expect("a standard-layout array is contiguous");
        self.inertia = rows
            .chunks_exact(dim.max(1))
            .map(|row| f64::from(distance::squared_distance(row, &centroid)))
            .sum();
        self.labels = vec![c as u32; data.nrows()];
        self.distance_computations = data.nrows() as u64;
        self
    }
}

/// Fewest rows worth a shard (and, natively, a thread of its own).
pub(crate) const MIN_ROWS_PER_SHARD: usize = 8192;

/// The largest |value| in the matrix, or the position of the first value
/// that is not finite: the finite check and the fixed-point scale's input
/// in one pass over the rows.
fn largest_magnitude(data: &[f32], dim: usize) -> Result<f32, KMeansError> {
    let mut largest = 0.0f32;
    for (pos, x) in data.iter().enumerate() {
        if !x.is_finite() {
            return Err(KMeansError::NonFinite {
                row: pos / dim,
                column: pos % dim,
            });
        }
        largest = largest.max(x.abs());
    }
    Ok(largest)
}

/// scikit-learn's absolute tolerance: `tol × mean of the per-column variances`.
fn absolute_tolerance(data: &[f32], dim: usize, tol: f64) -> f64 {
    let n = (data.len() / dim) as f64;
    let mut mean = vec![0.0f64; dim];
    let mut sq = vec![0.0f64; dim];
    for row in data.chunks_exact(dim) {
        for t in 0..dim {
            let x = f64::from(row[t]);
            mean[t] += x;
            sq[t] += x * x;
        }
    }
    let var: f64 = (0..dim)
        .map(|t| (sq[t] / n - (mean[t] / n).powi(2)).max(0.0))
        .sum::<f64>()
        / dim as f64;
    var * tol
}

impl KMeansParams {
    /// Fits k-means to the rows of `data`.
    pub fn fit(&self, data: ArrayView2<'_, f32>) -> Result<KMeansModel, KMeansError> {
        self.fit_with_progress(data, &mut |_| {})
    }

    /// Fits k-means, reporting seeding and iterations to `progress`.
    pub fn fit_with_progress(
        &self,
        data: ArrayView2<'_, f32>,
        progress: &mut dyn FnMut(FitProgress),
    ) -> Result<KMeansModel, KMeansError> {
        if data.ncols() == 0 {
            self.validate(data.nrows())?;
            return Err(KMeansError::NoData);
        }
        let data = data.as_standard_layout();
        let slice = data.as_slice().unwrap_or(&[]);
        let mut plan = self.plan(slice, data.ncols(), self.shards_for(data.nrows()))?;
        // wasm32 has no threads here: its shards run one after another.
        let parallel = cfg!(not(target_arch = "wasm32"));
        let mut shards: Vec<Shard<'_>> = plan
            .shard_rows()
            .into_iter()
            .map(|(first, rows)| Shard::new(Cow::Borrowed(rows), plan.dim(), first))
            .collect();
        while let Some((start, seeder)) = plan.next_start() {
            let seeder = seed_centres(seeder, &mut shards, parallel, &mut |placed| {
                progress(FitProgress::Seeding { start, placed })
            });
            let coordinator = plan.coordinator(seeder);
            let result = run(
                coordinator,
                &mut shards,
                parallel,
                &mut |iteration, share| {
                    progress(match share {
                        Some(share) => FitProgress::Assigning {
                            start,
                            iteration,
                            share,
                        },
                        None => FitProgress::Iteration { start, iteration },
                    })
                },
            );
            plan.keep(result);
        }
        plan.model()
    }

    /// The shards [`KMeansParams::fit`] cuts `rows` rows into: one per
    /// thread, but only as many as have 8,192 rows each (threads only pay
    /// for themselves on enough rows: on the default catalog's 4,803, two
    /// threads took longer than one).
    pub fn shards_for(&self, rows: usize) -> usize {
        self.get_threads()
            .min(rows.div_ceil(MIN_ROWS_PER_SHARD))
            .max(1)
    }

    /// Checks `data` (rows of `dim` values, row after row) and sets up a
    /// fit over exactly `shards` shards (fewer only when there are fewer
    /// blocks of rows), whose runs the caller drives: see [`FitPlan`].
    pub fn plan<'a>(
        &self,
        data: &'a [f32],
        dim: usize,
        shards: usize,
    ) -> Result<FitPlan<'a>, KMeansError> {
        if dim == 0 {
            return Err(KMeansError::NoData);
        }
        let n = data.len() / dim;
        self.validate(n)?;
        let fixed = FixedPoint::new(largest_magnitude(data, dim)?, n);
        Ok(FitPlan {
            data,
            config: RunConfig {
                dim,
                k: self.k(),
                rows: n,
                max_iter: self.get_max_iter(),
                tol_abs: absolute_tolerance(data, dim, self.get_tolerance()),
                algorithm: self.get_algorithm(),
                fixed,
            },
            shards: shards.max(1),
            n_init: self.get_n_init(),
            rng: StdRng::seed_from_u64(self.get_seed()),
            start: 0,
            best: None,
        })
    }
}

/// A fit whose runs are driven by the caller: for each start, a [`Seeder`]
/// ([`FitPlan::next_start`]) and then a [`Coordinator`]
/// ([`FitPlan::coordinator`]) talk to the [`Shard`]s of
/// [`FitPlan::shard_rows`] wherever they are (threads, or the browser's
/// shard workers), and the run comes back with [`FitPlan::keep`].
/// [`KMeansParams::fit`] is this with every shard here.
pub struct FitPlan<'a> {
    data: &'a [f32],
    config: RunConfig,
    shards: usize,
    n_init: usize,
    rng: StdRng,
    start: usize,
    best: Option<RunResult>,
}

impl<'a> FitPlan<'a> {
    /// Values per row.
    pub fn dim(&self) -> usize {
        self.config.dim
    }

    /// Each shard's first row and rows (contiguous, whole blocks of rows;
    /// the same split for every start).
    pub fn shard_rows(&self) -> Vec<(usize, &'a [f32])> {
        shard_rows(self.data, self.config.dim, self.shards)
    }

    /// The next start's k-means++ seeder (see [`Seeder`]); `None` once
    /// every start ran. Its centres go to [`FitPlan::coordinator`].
    pub fn next_start(&mut self) -> Option<(usize, Seeder<'a>)> {
        if self.start >= self.n_init {
            return None;
        }
        self.start += 1;
        let cfg = self.config;
        Some((
            self.start - 1,
            // The generator travels with the seeder and comes back with its centres.
            Seeder::new(
                self.data,
                cfg.dim,
                cfg.k,
                std::mem::replace(&mut self.rng, StdRng::seed_from_u64(0)),
            ),
        ))
    }

    /// The run from a seeder's centres (its generator goes on to the next start).
    pub fn coordinator(&mut self, seeder: Seeder<'a>) -> Coordinator {
        let (centroids, rng) = seeder.finish();
        self.rng = rng;
        Coordinator::new(&self.config, centroids)
    }

    /// Takes a finished run; the one with the lowest inertia is kept.
    pub fn keep(&mut self, result: RunResult) {
        if self
            .best
            .as_ref()
            .is_none_or(|b| result.inertia < b.inertia)
        {
            self.best = Some(result);
        }
    }

    /// The model of the kept run.
    pub fn model(self) -> Result<KMeansModel, KMeansError> {
        let best = self.best.ok_or(KMeansError::NoData)?;
        let centroids = Array2::from_shape_vec((self.config.k, self.config.dim), best.centroids)
            .map_err(|e| KMeansError::Invalid(e.to_string()))?;
        Ok(KMeansModel {
            centroids,
            labels: best.labels,
            inertia: best.inertia,
            iterations: best.iterations,
            distance_computations: best.distance_computations,
        })
    }
}

// Property tests need proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use ndarray::Array2;
    use proptest::prelude::*;

    fn blobs(n_per: usize, centres: &[(f32, f32)], seed: u64) -> Array2<f32> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut v = Vec::new();
        for &(cx, cy) in centres {
            for _ in 0..n_per {
                v.push(cx + (init::unit(&mut rng) as f32 - 0.5));
                v.push(cy + (init::unit(&mut rng) as f32 - 0.5));
            }
        }
        Array2::from_shape_vec((n_per * centres.len(), 2), v).unwrap()
    }

    #[test]
    fn separated_blobs_are_recovered() {
        let data = blobs(50, &[(0.0, 0.0), (20.0, 0.0), (0.0, 20.0)], 5);
        let m = KMeansParams::new(3).seed(9).fit(data.view()).unwrap();
        for b in 0..3 {
            let l = m.labels()[b * 50];
            assert!(m.labels()[b * 50..(b + 1) * 50].iter().all(|&x| x == l));
        }
        assert!(m.inertia() < 150.0 * 0.2, "{}", m.inertia());
    }

    #[test]
    fn hamerly_matches_lloyd_with_fewer_distance_computations() {
        let data = blobs(
            400,
            &[(0.0, 0.0), (3.0, 0.0), (0.0, 3.0), (3.0, 3.0), (1.5, 1.5)],
            11,
        );
        let lloyd = KMeansParams::new(8)
            .seed(2)
            .algorithm(Algorithm::Lloyd)
            .tolerance(0.0)
            .fit(data.view())
            .unwrap();
        let hamerly = KMeansParams::new(8)
            .seed(2)
            .algorithm(Algorithm::Hamerly)
            .tolerance(0.0)
            .fit(data.view())
            .unwrap();
        assert_eq!(lloyd.labels(), hamerly.labels());
        assert_eq!(lloyd.iterations(), hamerly.iterations());
        assert!((lloyd.inertia() - hamerly.inertia()).abs() <= 1e-9 * lloyd.inertia());
        assert!(hamerly.distance_computations() * 2 < lloyd.distance_computations());
    }

    #[test]
    fn the_same_seed_gives_the_same_clusters() {
        let data = blobs(100, &[(0.0, 0.0), (5.0, 5.0), (9.0, 0.0)], 3);
        let a = KMeansParams::new(4)
            .seed(77)
            .n_init(3)
            .fit(data.view())
            .unwrap();
        let b = KMeansParams::new(4)
            .seed(77)
            .n_init(3)
            .fit(data.view())
            .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn more_starts_never_give_a_higher_inertia() {
        let data = blobs(60, &[(0.0, 0.0), (4.0, 0.0), (2.0, 3.0), (6.0, 3.0)], 8);
        let one = KMeansParams::new(6)
            .seed(4)
            .n_init(1)
            .fit(data.view())
            .unwrap();
        let five = KMeansParams::new(6)
            .seed(4)
            .n_init(5)
            .fit(data.view())
            .unwrap();
        assert!(five.inertia() <= one.inertia());
    }

    #[test]
    fn k_equal_to_rows_gives_zero_inertia_and_duplicates_do_not_panic() {
        let data = Array2::from_shape_vec((4, 1), vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let m = KMeansParams::new(4).fit(data.view()).unwrap();
        assert_eq!(m.inertia(), 0.0);
        let same = Array2::from_elem((6, 2), 0.5f32);
        let m = KMeansParams::new(3).fit(same.view()).unwrap();
        assert_eq!(m.inertia(), 0.0);
        assert!(m.labels().iter().all(|&l| l < 3));
    }

    #[test]
    fn non_finite_values_are_rejected_with_their_position() {
        let data = Array2::from_shape_vec((2, 2), vec![0.0, 1.0, f32::NAN, 2.0]).unwrap();
        assert_eq!(
            KMeansParams::new(1).fit(data.view()),
            Err(KMeansError::NonFinite { row: 1, column: 0 })
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn labels_are_below_k_and_inertia_never_rises(
            values in proptest::collection::vec(-50.0f32..50.0, 6..240),
            k in 1usize..6,
            seed in 0u64..1000,
        ) {
            let n = values.len() / 3;
            let data = Array2::from_shape_vec((n, 3), values[..n * 3].to_vec()).unwrap();
            let k = k.min(n);
            let mut last = f64::INFINITY;
            for max_iter in 1..6 {
                let m = KMeansParams::new(k).seed(seed).max_iter(max_iter).tolerance(0.0).fit(data.view()).unwrap();
                prop_assert!(m.labels().iter().all(|&l| (l as usize) < k));
                prop_assert!(m.inertia() <= last * (1.0 + 1e-5) + 1e-6, "{} > {}", m.inertia(), last);
                last = m.inertia();
            }
        }
    }

    proptest! {
        // Many cases: a skipped tie needs a particular layout (a check with
        // the old, loose comparison put back failed within 3,000 cases).
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Near-ties everywhere: points on a small integer grid (many equal
        /// distances), each repeated, some copies moved by a few ulps.
        #[test]
        fn hamerly_gives_lloyds_labels_on_near_ties(
            grid in proptest::collection::vec((0i8..4, 0i8..4, 0i8..3), 4..60),
            copies in 1usize..4,
            jitter in proptest::collection::vec(-3i32..=3, 8),
            k in 2usize..7,
            seed in 0u64..1000,
        ) {
            let mut values = Vec::new();
            for (i, &(a, b, c)) in grid.iter().enumerate() {
                for copy in 0..copies {
                    for (t, v) in [a, b, c].into_iter().enumerate() {
                        let x = f32::from(v);
                        let ulps = if copy > 0 { jitter[(i + copy + t) % jitter.len()] } else { 0 };
                        values.push(f32::from_bits((x + 1.0).to_bits().wrapping_add_signed(ulps)) - 1.0);
                    }
                }
            }
            let n = values.len() / 3;
            let data = Array2::from_shape_vec((n, 3), values).unwrap();
            let k = k.min(n);
            for tolerance in [0.0, 1e-4] {
                let fit = |algorithm| KMeansParams::new(k).seed(seed).tolerance(tolerance).algorithm(algorithm).fit(data.view()).unwrap();
                let (lloyd, hamerly) = (fit(Algorithm::Lloyd), fit(Algorithm::Hamerly));
                prop_assert_eq!(lloyd.labels(), hamerly.labels());
                prop_assert_eq!(lloyd.iterations(), hamerly.iterations());
                prop_assert_eq!(lloyd.centroids(), hamerly.centroids());
                prop_assert_eq!(lloyd.inertia().to_bits(), hamerly.inertia().to_bits());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The same bits for any number of shards, seeding included.
        #[test]
        fn any_number_of_shards_gives_the_same_clusters(
            values in proptest::collection::vec(-20.0f32..20.0, 6..900),
            duplicates in 0usize..200,
            k in 1usize..8,
            seed in 0u64..1000,
        ) {
            let mut values = values;
            let original = values.len() / 2 * 2;
            values.truncate(original);
            for i in 0..duplicates.min(original) {
                values.push(values[i]);
            }
            values.truncate(values.len() / 2 * 2);
            let n = values.len() / 2;
            let k = k.min(n);
            for algorithm in [Algorithm::Hamerly, Algorithm::Lloyd] {
                let one = fit_in_shards(&values, 2, k, seed, algorithm, 1);
                for shards in [2, 3, 7] {
                    let many = fit_in_shards(&values, 2, k, seed, algorithm, shards);
                    prop_assert_eq!(&one.labels, &many.labels, "{} shards", shards);
                    prop_assert_eq!(&one.centroids, &many.centroids);
                    prop_assert_eq!(one.iterations, many.iterations);
                    prop_assert_eq!(one.inertia.to_bits(), many.inertia.to_bits());
                    prop_assert_eq!(one.distance_computations, many.distance_computations);
                }
            }
        }
    }

    /// One fit with an exact number of shards (below the size at which
    /// `fit` would give each its own), on threads.
    fn fit_in_shards(
        values: &[f32],
        dim: usize,
        k: usize,
        seed: u64,
        algorithm: Algorithm,
        shards: usize,
    ) -> RunResult {
        let params = KMeansParams::new(k).seed(seed).algorithm(algorithm);
        let mut plan = params.plan(values, dim, shards).unwrap();
        let mut parts: Vec<Shard<'_>> = plan
            .shard_rows()
            .into_iter()
            .map(|(first, rows)| Shard::new(Cow::Borrowed(rows), dim, first))
            .collect();
        let (_, seeder) = plan.next_start().unwrap();
        let seeder = seed_centres(seeder, &mut parts, true, &mut |_| {});
        let coordinator = plan.coordinator(seeder);
        run(coordinator, &mut parts, true, &mut |_, _| {})
    }

    #[test]
    fn threads_change_nothing_but_the_time() {
        // Enough rows for three shards of their own, with empty clusters to
        // relocate (many duplicates) and Hamerly's skipping at work.
        let mut data = blobs(
            3 * MIN_ROWS_PER_SHARD / 5 + 17,
            &[(0.0, 0.0), (6.0, 0.0), (0.0, 6.0), (6.0, 6.0), (3.0, 3.0)],
            21,
        );
        data.slice_mut(ndarray::s![..4000, ..]).fill(1.0);
        let fit = |threads| {
            KMeansParams::new(12)
                .seed(5)
                .threads(threads)
                .fit(data.view())
                .unwrap()
        };
        let one = fit(1);
        for threads in [2, 3, 4] {
            assert_eq!(one, fit(threads), "{threads} threads");
        }
    }
}
