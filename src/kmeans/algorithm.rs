//! One k-means run from given centroids: Lloyd or Hamerly iterations.
//!
//! Both follow scikit-learn's loop: assign, recompute centroids, stop when
//! no label changed ("strict convergence") or when the total squared
//! centroid shift is at most the absolute tolerance; after a
//! tolerance stop, one more assignment makes labels match the final
//! centroids. Hamerly keeps, per point, an upper bound on the distance to
//! its centroid and a lower bound on the distance to any other, and skips
//! the point when the bounds prove its label cannot change, so it returns
//! the same labels as Lloyd with far fewer distance computations.
//!
//! Empty clusters (policy, as in scikit-learn): a centroid left without
//! points moves onto the point farthest from its own centroid; that point
//! leaves its old cluster. Several empty clusters take the farthest points
//! in turn.

use super::distance::{nearest, squared_distance};
use super::Algorithm;

/// What one run produced.
pub(crate) struct RunResult {
    pub centroids: Vec<f32>,
    pub labels: Vec<u32>,
    pub inertia: f64,
    pub iterations: usize,
    pub distance_computations: u64,
}

pub(crate) struct RunConfig<'a> {
    pub data: &'a [f32],
    pub dim: usize,
    pub k: usize,
    pub max_iter: usize,
    pub tol_abs: f64,
    pub algorithm: Algorithm,
}

/// Slack on bound comparisons: f32 distances carry rounding error, and a
/// bound that is wrong by an ulp must never skip a point Lloyd would move.
const SLACK: f64 = 1e-5;

#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
pub(crate) fn run(
    cfg: &RunConfig<'_>,
    mut centroids: Vec<f32>,
    on_iteration: &mut dyn FnMut(usize),
) -> RunResult {
    let RunConfig { data, dim, k, .. } = *cfg;
    let n = data.len() / dim;
    let row = |i: usize| &data[i * dim..(i + 1) * dim];
    let mut labels = vec![0u32; n];
    let mut labels_old = vec![u32::MAX; n];
    let mut upper = vec![f64::INFINITY; n];
    let mut lower = vec![0.0f64; n];
    let mut computations = 0u64;
    let mut strict = false;
    let mut iterations = 0;
    let mut sums = vec![0.0f64; k * dim];
    // The label each point is counted under in `sums` (`u32::MAX`: not yet).
    let mut summed = vec![u32::MAX; n];
    let mut counts = vec![0usize; k];
    let mut shifts = vec![0.0f64; k];
    let mut half_gap = vec![0.0f64; k];

    for iteration in 0..cfg.max_iter {
        iterations = iteration + 1;
        // Assignment.
        match cfg.algorithm {
            Algorithm::Lloyd => {
                for (i, label) in labels.iter_mut().enumerate() {
                    *label = nearest(row(i), &centroids, dim).0 as u32;
                }
                computations += (n * k) as u64;
            }
            Algorithm::Hamerly => {
                centroid_half_gaps(&centroids, dim, k, &mut half_gap);
                for i in 0..n {
                    let a = labels[i] as usize;
                    let bound = half_gap[a].max(lower[i]);
                    if upper[i] * (1.0 - SLACK) <= bound {
                        continue;
                    }
                    upper[i] =
                        f64::from(squared_distance(row(i), &centroids[a * dim..(a + 1) * dim]))
                            .sqrt();
                    computations += 1;
                    if upper[i] * (1.0 - SLACK) <= bound {
                        continue;
                    }
                    let (best, second) = two_nearest(row(i), &centroids, dim);
                    computations += k as u64;
                    labels[i] = best.0 as u32;
                    upper[i] = f64::from(best.1).sqrt();
                    lower[i] = f64::from(second).sqrt();
                }
            }
        }
        // Update: only points whose label changed move their contribution
        // (after the first pass few do), so an iteration costs O(changes · d)
        // instead of O(n · d). Both algorithms share this code, so they stay
        // in step exactly.
        for (i, (&label, counted)) in labels.iter().zip(summed.iter_mut()).enumerate() {
            if label == *counted {
                continue;
            }
            let (new, point) = (label as usize, row(i));
            if *counted != u32::MAX {
                let old = *counted as usize;
                counts[old] -= 1;
                for (s, &x) in sums[old * dim..(old + 1) * dim].iter_mut().zip(point) {
                    *s -= f64::from(x);
                }
            }
            counts[new] += 1;
            for (s, &x) in sums[new * dim..(new + 1) * dim].iter_mut().zip(point) {
                *s += f64::from(x);
            }
            *counted = label;
        }
        if counts.contains(&0) {
            relocate_empty(
                data,
                dim,
                &centroids,
                (&mut labels, &mut summed),
                &mut sums,
                &mut counts,
                (&mut upper, &mut lower),
            );
        }
        let mut total_shift = 0.0;
        for j in 0..k {
            let mut shift = 0.0f64;
            for t in 0..dim {
                let new = (sums[j * dim + t] / counts[j].max(1) as f64) as f32;
                let old = &mut centroids[j * dim + t];
                shift += f64::from(new - *old).powi(2);
                *old = new;
            }
            shifts[j] = shift.sqrt();
            total_shift += shift;
        }
        on_iteration(iterations);
        if labels == labels_old {
            strict = true;
            break;
        }
        if cfg.algorithm == Algorithm::Hamerly {
            // Bounds follow the centroids they refer to.
            let (max_j, max_shift, second_shift) = two_largest(&shifts);
            for i in 0..n {
                let a = labels[i] as usize;
                upper[i] += shifts[a];
                lower[i] -= if a == max_j { second_shift } else { max_shift };
            }
        }
        if total_shift <= cfg.tol_abs {
            break;
        }
        labels_old.copy_from_slice(&labels);
    }
    if !strict {
        for (i, label) in labels.iter_mut().enumerate() {
            *label = nearest(row(i), &centroids, dim).0 as u32;
        }
        computations += (n * k) as u64;
    }
    let inertia = labels
        .iter()
        .enumerate()
        .map(|(i, &l)| {
            let l = l as usize;
            f64::from(squared_distance(row(i), &centroids[l * dim..(l + 1) * dim]))
        })
        .sum();
    RunResult {
        centroids,
        labels,
        inertia,
        iterations,
        distance_computations: computations,
    }
}

/// Half the distance from each centroid to its nearest other centroid.
fn centroid_half_gaps(centroids: &[f32], dim: usize, k: usize, out: &mut [f64]) {
    out.iter_mut().for_each(|g| *g = f64::INFINITY);
    for a in 0..k {
        for b in a + 1..k {
            let d = f64::from(squared_distance(
                &centroids[a * dim..(a + 1) * dim],
                &centroids[b * dim..(b + 1) * dim],
            ))
            .sqrt()
                / 2.0;
            out[a] = out[a].min(d);
            out[b] = out[b].min(d);
        }
    }
    if k == 1 {
        out[0] = f64::INFINITY;
    }
}

/// The nearest centroid (index, squared distance) and the second-nearest squared distance.
#[inline(always)]
fn two_nearest(point: &[f32], centroids: &[f32], dim: usize) -> ((usize, f32), f32) {
    let mut best = (0usize, f32::INFINITY);
    let mut second = f32::INFINITY;
    for (j, c) in centroids.chunks_exact(dim).enumerate() {
        let d = squared_distance(point, c);
        if d < best.1 {
            second = best.1;
            best = (j, d);
        } else if d < second {
            second = d;
        }
    }
    (best, second)
}

/// Index of the largest value, the largest and the second largest.
fn two_largest(values: &[f64]) -> (usize, f64, f64) {
    let mut top = (0usize, 0.0f64);
    let mut second = 0.0f64;
    for (j, &v) in values.iter().enumerate() {
        if v > top.1 {
            second = top.1;
            top = (j, v);
        } else if v > second {
            second = v;
        }
    }
    (top.0, top.1, second)
}

/// Moves each empty cluster onto the point farthest from its centroid.
fn relocate_empty(
    data: &[f32],
    dim: usize,
    centroids: &[f32],
    (labels, summed): (&mut [u32], &mut [u32]),
    sums: &mut [f64],
    counts: &mut [usize],
    (upper, lower): (&mut [f64], &mut [f64]),
) {
    let n = labels.len();
    let mut far: Vec<(f32, usize)> = (0..n)
        .map(|i| {
            let l = labels[i] as usize;
            (
                squared_distance(
                    &data[i * dim..(i + 1) * dim],
                    &centroids[l * dim..(l + 1) * dim],
                ),
                i,
            )
        })
        .collect();
    // Farthest first; lower index first on ties, so runs are reproducible.
    far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut donors = far.into_iter();
    for empty in 0..counts.len() {
        if counts[empty] > 0 {
            continue;
        }
        // Take a point whose cluster keeps at least one member.
        let Some((_, i)) = donors
            .by_ref()
            .find(|&(_, i)| counts[labels[i] as usize] > 1)
        else {
            return;
        };
        let old = labels[i] as usize;
        let point = &data[i * dim..(i + 1) * dim];
        for t in 0..dim {
            sums[old * dim + t] -= f64::from(point[t]);
            sums[empty * dim + t] = f64::from(point[t]);
        }
        counts[old] -= 1;
        counts[empty] = 1;
        labels[i] = empty as u32;
        summed[i] = empty as u32;
        // Its bounds referred to the old label: force a full check next assignment.
        upper[i] = f64::INFINITY;
        lower[i] = 0.0;
    }
}
