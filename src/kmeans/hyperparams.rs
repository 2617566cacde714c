//! k-means parameters: a plain value with consuming setters and one validation step.

use super::KMeansError;
use serde::{Deserialize, Serialize};

/// Which exact k-means iteration to run; both give the same clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    /// Plain Lloyd: every point against every centroid, every iteration.
    Lloyd,
    /// Hamerly's bounds skip most distance computations once centroids settle.
    Hamerly,
}

/// Parameters of a k-means fit.
///
/// ```
/// use reelmeans::KMeansParams;
/// let params = KMeansParams::new(9).seed(7).n_init(3).max_iter(100).tolerance(1e-4);
/// assert_eq!(params.k(), 9);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    k: usize,
    seed: u64,
    n_init: usize,
    max_iter: usize,
    tolerance: f64,
    algorithm: Algorithm,
    /// How the work is split, not what is computed: left out of saved models.
    #[serde(skip, default = "one")]
    threads: usize,
}

fn one() -> usize {
    1
}

impl KMeansParams {
    /// Defaults: seed 42, one k-means++ start, 300 iterations, tolerance 1e-4, Hamerly, one thread.
    pub fn new(k: usize) -> Self {
        KMeansParams {
            k,
            seed: 42,
            n_init: 1,
            max_iter: 300,
            tolerance: 1e-4,
            algorithm: Algorithm::Hamerly,
            threads: 1,
        }
    }

    /// Seed of the k-means++ sampling; the same seed gives the same clusters.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Number of k-means++ starts; the run with the lowest inertia is kept.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }

    /// Most Lloyd iterations per start.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Relative tolerance, as in scikit-learn: iterations stop once the total
    /// squared centroid shift is at most `tolerance × mean feature variance`.
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Lloyd or Hamerly.
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Shards the rows are split into, one thread each natively (on wasm32
    /// they run one after another). The clusters are the same bits for any
    /// number: only the time changes.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Number of starts.
    pub fn get_n_init(&self) -> usize {
        self.n_init
    }

    /// Iteration cap.
    pub fn get_max_iter(&self) -> usize {
        self.max_iter
    }

    /// Relative tolerance.
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }

    /// The algorithm.
    pub fn get_algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Shards (threads natively).
    pub fn get_threads(&self) -> usize {
        self.threads
    }

    /// Checks the parameters against a data set of `rows` points.
    pub fn validate(&self, rows: usize) -> Result<(), KMeansError> {
        if rows == 0 {
            return Err(KMeansError::NoData);
        }
        if self.k == 0 {
            return Err(KMeansError::ZeroClusters);
        }
        if self.k > rows {
            return Err(KMeansError::TooManyClusters { k: self.k, rows });
        }
        if self.n_init == 0 {
            return Err(KMeansError::Invalid("n_init must be at least 1".into()));
        }
        if self.threads == 0 {
            return Err(KMeansError::Invalid("threads must be at least 1".into()));
        }
        if self.max_iter == 0 {
            return Err(KMeansError::Invalid("max_iter must be at least 1".into()));
        }
        if !(self.tolerance >= 0.0 && self.tolerance.is_finite()) {
            return Err(KMeansError::Invalid(format!(
                "tolerance must be a finite number ≥ 0, not {}",
                self.tolerance
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_clusters_cannot_be_zero() {
        assert_eq!(
            KMeansParams::new(0).validate(10),
            Err(KMeansError::ZeroClusters)
        );
    }

    #[test]
    fn n_clusters_cannot_exceed_rows() {
        assert_eq!(
            KMeansParams::new(11).validate(10),
            Err(KMeansError::TooManyClusters { k: 11, rows: 10 })
        );
    }

    #[test]
    fn tolerance_must_be_finite_and_non_negative() {
        assert!(KMeansParams::new(2).tolerance(-1.0).validate(10).is_err());
        assert!(KMeansParams::new(2)
            .tolerance(f64::NAN)
            .validate(10)
            .is_err());
        assert!(KMeansParams::new(2).n_init(0).validate(10).is_err());
        assert!(KMeansParams::new(2).max_iter(0).validate(10).is_err());
        assert!(KMeansParams::new(2).validate(10).is_ok());
    }
}
