//! Principal component analysis of the scaled matrix, for the explorer's
//! 2-D scatter (clustering always runs on the full matrix).
//!
//! The covariance matrix (d × d, f64) is diagonalised with cyclic Jacobi
//! rotations: exact enough, dependency-free, and fast for the few dozen
//! feature columns a catalog has. Matrices over [`FIT_ROWS`] rows are
//! fitted on evenly spaced rows, and every row is projected.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Rows used to estimate the covariance; more adds time, not accuracy.
const FIT_ROWS: usize = 50_000;

/// A fitted PCA: mean, components (rows) and explained variance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    mean: Vec<f64>,
    components: Vec<Vec<f64>>,
    explained_variance: Vec<f64>,
    total_variance: f64,
}

impl Pca {
    /// Fits `n_components` components (at most d) to the rows of `data`.
    pub fn fit(data: ArrayView2<'_, f32>, n_components: usize) -> Pca {
        let (n, d) = data.dim();
        let step = (n / FIT_ROWS).max(1);
        let rows: Vec<usize> = (0..n).step_by(step).collect();
        let m = rows.len().max(1) as f64;
        let mut mean = vec![0.0f64; d];
        for &i in &rows {
            for (acc, &x) in mean.iter_mut().zip(data.row(i)) {
                *acc += f64::from(x);
            }
        }
        mean.iter_mut().for_each(|x| *x /= m);
        let mut cov = vec![0.0f64; d * d];
        let mut centred = vec![0.0f64; d];
        for &i in &rows {
            for (c, (&x, mu)) in centred.iter_mut().zip(data.row(i).iter().zip(&mean)) {
                *c = f64::from(x) - mu;
            }
            for a in 0..d {
                let ca = centred[a];
                for b in a..d {
                    cov[a * d + b] += ca * centred[b];
                }
            }
        }
        for a in 0..d {
            for b in a..d {
                let v = cov[a * d + b] / (m - 1.0).max(1.0);
                cov[a * d + b] = v;
                cov[b * d + a] = v;
            }
        }
        let total_variance: f64 = (0..d).map(|a| cov[a * d + a]).sum();
        let (values, vectors) = jacobi_eigen(cov, d);
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        let keep = n_components.min(d);
        let components = order[..keep]
            .iter()
            .map(|&j| {
                let mut v: Vec<f64> = (0..d).map(|r| vectors[r * d + j]).collect();
                // Sign convention: the largest-magnitude entry is positive, so runs agree.
                let big = v
                    .iter()
                    .copied()
                    .fold(0.0f64, |a, x| if x.abs() > a.abs() { x } else { a });
                if big < 0.0 {
                    v.iter_mut().for_each(|x| *x = -*x);
                }
                v
            })
            .collect();
        Pca {
            mean,
            components,
            explained_variance: order[..keep].iter().map(|&j| values[j].max(0.0)).collect(),
            total_variance,
        }
    }

    /// Share of the total variance each component explains.
    pub fn explained_variance_ratio(&self) -> Vec<f64> {
        self.explained_variance
            .iter()
            .map(|v| {
                if self.total_variance > 0.0 {
                    v / self.total_variance
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Projects every row onto the components.
    pub fn transform(&self, data: ArrayView2<'_, f32>) -> Array2<f32> {
        let mut out = Array2::<f32>::zeros((data.nrows(), self.components.len()));
        for (row, mut target) in data.rows().into_iter().zip(out.rows_mut()) {
            for (t, comp) in target.iter_mut().zip(&self.components) {
                *t = row
                    .iter()
                    .zip(comp.iter().zip(&self.mean))
                    .map(|(&x, (c, mu))| (f64::from(x) - mu) * c)
                    .sum::<f64>() as f32;
            }
        }
        out
    }
}

/// Eigen-decomposition of a symmetric matrix; returns eigenvalues and the
/// eigenvectors as columns of a row-major d × d matrix.
fn jacobi_eigen(mut a: Vec<f64>, d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0f64; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|p| (p + 1..d).map(move |q| (p, q)))
            .map(|(p, q)| a[p * d + q].powi(2))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum().max(0.0).mul_add(2.0, -1.0)
                    / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let akp = a[k * d + p];
                    let akq = a[k * d + q];
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let apk = a[p * d + k];
                    let aqk = a[q * d + k];
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let vkp = v[k * d + p];
                    let vkq = v[k * d + q];
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[i * d + i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_on_a_line_have_one_component() {
        let data = Array2::from_shape_fn((50, 3), |(i, j)| (i as f32) * [1.0, 2.0, -1.0][j]);
        let pca = Pca::fit(data.view(), 2);
        let ratio = pca.explained_variance_ratio();
        assert!((ratio[0] - 1.0).abs() < 1e-9, "{ratio:?}");
        assert!(ratio[1].abs() < 1e-9);
        let projected = pca.transform(data.view());
        // Distances along the line are preserved: |v| = sqrt(6) per step.
        let step = projected[[1, 0]] - projected[[0, 0]];
        assert!((step.abs() - 6f32.sqrt()).abs() < 1e-4);
    }

    #[test]
    fn variance_ratios_sum_to_one_on_full_rank_data() {
        let data = Array2::from_shape_fn((40, 4), |(i, j)| {
            ((i * 7 + j * 13) % 11) as f32 + (j as f32) * (i as f32 % 3.0)
        });
        let ratio = Pca::fit(data.view(), 4).explained_variance_ratio();
        assert!((ratio.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(ratio.windows(2).all(|w| w[0] >= w[1]));
    }
}
