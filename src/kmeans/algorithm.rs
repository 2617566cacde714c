//! One k-means run from given centroids: Lloyd or Hamerly iterations over
//! shards of rows.
//!
//! Both follow scikit-learn's loop: assign, recompute centroids, stop when
//! no label changed ("strict convergence") or when the total squared
//! centroid shift is at most the absolute tolerance; after a
//! tolerance stop, one more assignment makes labels match the final
//! centroids. Hamerly keeps, per point, an upper bound on the distance to
//! its centroid and a lower bound on the distance to any other, and skips
//! the point only when the bounds beat each other by a margin larger than
//! f32 rounding, so it returns the same labels as Lloyd with far fewer
//! distance computations.
//!
//! **Shards** (the map/reduce step of distributed k-means): the rows are cut
//! into contiguous shards; each iteration every shard assigns its own rows,
//! keeping its own bounds, and returns what its label changes did to the
//! centroid sums and counts; the coordinator adds them up and moves the
//! centroids. The sums are kept in fixed point (`i64`), where addition is
//! associative, so the centroids, labels, inertia and iteration count are
//! the same bits for any number of shards. Natively the shards run on
//! threads; on wasm32 they run one after another, reporting progress
//! between shards (the browser's worker uses four for that).
//!
//! Empty clusters (policy, as in scikit-learn): a centroid left without
//! points moves onto the point farthest from its own centroid; that point
//! leaves its old cluster. Several empty clusters take the farthest points
//! in turn.

use super::distance::{nearest, squared_distance};
use super::shards::{each_shard, rows_per_shard};
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
    /// Contiguous shards of rows (at least 1).
    pub shards: usize,
    /// Whether the shards run on threads (natively) or one after another.
    pub parallel: bool,
}

/// The relative margin by which Hamerly's bound must beat the distance to
/// the point's own centroid before the point is skipped. A squared f32
/// distance over `d` columns is within about `(d + 2)·ε` of the exact one,
/// relatively; the margin is four times that (and at least 1e-5), so a
/// skipped point is one whose computed distances would have kept it where
/// it is. Ties are never skipped (the comparison is strict), so Lloyd's
/// lowest-index rule decides them.
pub(crate) fn slack(dim: usize) -> f64 {
    (4.0 * (dim as f64 + 2.0) * f64::from(f32::EPSILON)).max(1e-5)
}

/// Fixed-point centroid sums: each value times `2^shift`, truncated to an
/// `i64`. Integer sums do not depend on the order of additions (so shards
/// can be merged in any grouping), and adding a point then taking it away
/// leaves no drift. The shift leaves room for every row at the largest
/// magnitude in the data: the resolution, `2^-shift`, is below 1e-11 of that
/// magnitude at a million rows, far below an f32 centroid's rounding.
#[derive(Clone, Copy)]
pub(crate) struct FixedPoint {
    scale: f64,
}

impl FixedPoint {
    /// The scale for `rows` points whose values are at most `max_abs` in magnitude.
    pub(crate) fn new(max_abs: f32, rows: usize) -> FixedPoint {
        let magnitude = if max_abs > 0.0 {
            f64::from(max_abs).log2().ceil() as i32
        } else {
            0
        };
        let rows_bits = (rows.max(1) as f64).log2().ceil() as i32;
        // |x|·2^shift ≤ 2^(61 − rows_bits), so sums of all rows stay below 2^61.
        let shift = (61 - rows_bits - magnitude).clamp(-1000, 1000);
        FixedPoint {
            scale: 2f64.powi(shift),
        }
    }

    #[inline(always)]
    fn to_fixed(self, x: f32) -> i64 {
        (f64::from(x) * self.scale) as i64
    }

    fn to_mean(self, sum: i64, count: i64) -> f32 {
        (sum as f64 / self.scale / count.max(1) as f64) as f32
    }
}

/// One shard: a contiguous run of rows and their per-row state.
struct Shard<'a> {
    data: &'a [f32],
    /// Global index of the shard's first row.
    first: usize,
    labels: Vec<u32>,
    /// Labels at the end of the previous iteration (`u32::MAX`: none yet).
    previous: Vec<u32>,
    upper: Vec<f64>,
    lower: Vec<f64>,
    /// The label each row is counted under in the sums (`u32::MAX`: not yet).
    counted: Vec<u32>,
}

impl<'a> Shard<'a> {
    fn split(data: &'a [f32], dim: usize, shards: usize) -> (Vec<Shard<'a>>, usize) {
        let rows_per = rows_per_shard(data.len() / dim, shards);
        let shards = data
            .chunks(rows_per * dim)
            .enumerate()
            .map(|(s, data)| {
                let rows = data.len() / dim;
                Shard {
                    data,
                    first: s * rows_per,
                    labels: vec![0; rows],
                    previous: vec![u32::MAX; rows],
                    upper: vec![f64::INFINITY; rows],
                    lower: vec![0.0; rows],
                    counted: vec![u32::MAX; rows],
                }
            })
            .collect();
        (shards, rows_per)
    }
}

/// The same for every shard in one iteration.
struct Step<'a> {
    dim: usize,
    k: usize,
    algorithm: Algorithm,
    slack: f64,
    fixed: FixedPoint,
    centroids: &'a [f32],
    half_gap: &'a [f64],
    /// Whether the previous labels are this shard's labels (not on the first iteration).
    remember: bool,
    /// Hamerly: how far each centroid moved last iteration, the index of
    /// the largest move, the largest and the second largest.
    moved: Option<(&'a [f64], usize, f64, f64)>,
}

/// What one shard's assignment did.
struct Assigned {
    /// Change of the fixed-point sums, `k × dim`.
    sums: Vec<i64>,
    /// Change of the counts.
    counts: Vec<i64>,
    changed: bool,
    computations: u64,
}

/// A shard's assignment step: move its bounds, assign its rows, and return
/// what the label changes did to the sums.
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn assign(shard: &mut Shard<'_>, step: &Step<'_>) -> Assigned {
    let Step { dim, k, slack, .. } = *step;
    let centroids = step.centroids;
    let data = shard.data;
    let row = |i: usize| &data[i * dim..(i + 1) * dim];
    let n = shard.labels.len();
    if step.remember {
        shard.previous.copy_from_slice(&shard.labels);
    }
    let mut computations = 0u64;
    match step.algorithm {
        Algorithm::Lloyd => {
            for (i, label) in shard.labels.iter_mut().enumerate() {
                *label = nearest(row(i), centroids, dim).0 as u32;
            }
            computations += (n * k) as u64;
        }
        Algorithm::Hamerly => {
            if let Some((shifts, max_j, max_shift, second_shift)) = step.moved {
                // Bounds follow the centroids they refer to.
                for i in 0..n {
                    let a = shard.labels[i] as usize;
                    shard.upper[i] += shifts[a];
                    shard.lower[i] -= if a == max_j { second_shift } else { max_shift };
                }
            }
            let (labels, upper, lower) = (&mut shard.labels, &mut shard.upper, &mut shard.lower);
            for i in 0..n {
                let a = labels[i] as usize;
                let bound = step.half_gap[a].max(lower[i]);
                if upper[i] * (1.0 + slack) < bound {
                    continue;
                }
                upper[i] =
                    f64::from(squared_distance(row(i), &centroids[a * dim..(a + 1) * dim])).sqrt();
                computations += 1;
                if upper[i] * (1.0 + slack) < bound {
                    continue;
                }
                let (best, second) = two_nearest(row(i), centroids, dim);
                computations += k as u64;
                labels[i] = best.0 as u32;
                upper[i] = f64::from(best.1).sqrt();
                lower[i] = f64::from(second).sqrt();
            }
        }
    }
    // Only points whose label changed move their contribution (after the
    // first pass few do), so this costs O(changes · d), not O(n · d). Both
    // algorithms share it, so they stay in step exactly.
    let mut sums = vec![0i64; k * dim];
    let mut counts = vec![0i64; k];
    for (i, (&label, counted)) in shard
        .labels
        .iter()
        .zip(shard.counted.iter_mut())
        .enumerate()
    {
        if label == *counted {
            continue;
        }
        let (new, point) = (label as usize, row(i));
        if *counted != u32::MAX {
            let old = *counted as usize;
            counts[old] -= 1;
            for (s, &x) in sums[old * dim..(old + 1) * dim].iter_mut().zip(point) {
                *s -= step.fixed.to_fixed(x);
            }
        }
        counts[new] += 1;
        for (s, &x) in sums[new * dim..(new + 1) * dim].iter_mut().zip(point) {
            *s += step.fixed.to_fixed(x);
        }
        *counted = label;
    }
    Assigned {
        sums,
        counts,
        changed: shard.labels != shard.previous,
        computations,
    }
}

/// The last step of a shard: labels from the final centroids (unless the
/// run converged strictly, when they already are) and each row's squared
/// distance to its centroid.
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn finish(shard: &mut Shard<'_>, centroids: &[f32], dim: usize, reassign: bool) -> Vec<f32> {
    let data = shard.data;
    shard
        .labels
        .iter_mut()
        .enumerate()
        .map(|(i, label)| {
            let point = &data[i * dim..(i + 1) * dim];
            if reassign {
                let (j, d) = nearest(point, centroids, dim);
                *label = j as u32;
                d
            } else {
                let l = *label as usize;
                squared_distance(point, &centroids[l * dim..(l + 1) * dim])
            }
        })
        .collect()
}

pub(crate) fn run(
    cfg: &RunConfig<'_>,
    mut centroids: Vec<f32>,
    fixed: FixedPoint,
    on_progress: &mut dyn FnMut(usize, Option<f32>),
) -> RunResult {
    let RunConfig { data, dim, k, .. } = *cfg;
    let n = data.len() / dim;
    let (mut shards, rows_per) = Shard::split(data, dim, cfg.shards);
    let mut sums = vec![0i64; k * dim];
    let mut counts = vec![0i64; k];
    let mut shifts = vec![0.0f64; k];
    let mut half_gap = vec![0.0f64; k];
    let mut moved: Option<(usize, f64, f64)> = None;
    let mut computations = 0u64;
    let mut strict = false;
    let mut iterations = 0;
    for iteration in 0..cfg.max_iter {
        iterations = iteration + 1;
        if cfg.algorithm == Algorithm::Hamerly {
            centroid_half_gaps(&centroids, dim, k, &mut half_gap);
        }
        let step = Step {
            dim,
            k,
            algorithm: cfg.algorithm,
            slack: slack(dim),
            fixed,
            centroids: &centroids,
            half_gap: &half_gap,
            remember: iteration > 0,
            moved: moved.map(|(j, max, second)| (shifts.as_slice(), j, max, second)),
        };
        let assigned: Vec<Assigned> = if cfg.parallel {
            each_shard(&mut shards, true, |shard| assign(shard, &step))
        } else {
            // One after another: say how far the iteration is after each shard.
            let total = shards.len() as f32;
            let mut done = 0.0;
            shards
                .iter_mut()
                .map(|shard| {
                    let part = assign(shard, &step);
                    done += 1.0;
                    on_progress(iterations, Some(done / total));
                    part
                })
                .collect()
        };
        let mut changed: Vec<bool> = Vec::with_capacity(shards.len());
        for part in &assigned {
            for (s, d) in sums.iter_mut().zip(&part.sums) {
                *s += d;
            }
            for (c, d) in counts.iter_mut().zip(&part.counts) {
                *c += d;
            }
            computations += part.computations;
            changed.push(part.changed);
        }
        if counts.contains(&0) {
            let touched = relocate_empty(
                &mut shards,
                rows_per,
                dim,
                &centroids,
                fixed,
                &mut sums,
                &mut counts,
            );
            for (s, shard) in shards.iter().enumerate() {
                if touched[s] {
                    changed[s] = shard.labels != shard.previous;
                }
            }
        }
        let mut total_shift = 0.0;
        for j in 0..k {
            let mut shift = 0.0f64;
            for t in 0..dim {
                let new = fixed.to_mean(sums[j * dim + t], counts[j]);
                let old = &mut centroids[j * dim + t];
                shift += f64::from(new - *old).powi(2);
                *old = new;
            }
            shifts[j] = shift.sqrt();
            total_shift += shift;
        }
        on_progress(iterations, None);
        if !changed.contains(&true) {
            strict = true;
            break;
        }
        if cfg.algorithm == Algorithm::Hamerly {
            moved = Some(two_largest(&shifts));
        }
        if total_shift <= cfg.tol_abs {
            break;
        }
    }
    let distances = each_shard(&mut shards, cfg.parallel, |shard| {
        finish(shard, &centroids, dim, !strict)
    });
    if !strict {
        computations += (n * k) as u64;
    }
    // Summed in row order, whatever the shards.
    let inertia = distances.iter().flatten().map(|&d| f64::from(d)).sum();
    let labels = shards
        .iter()
        .flat_map(|s| s.labels.iter().copied())
        .collect();
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

/// Moves each empty cluster onto the point farthest from its centroid, over
/// all shards (rows in global order); returns which shards it touched.
fn relocate_empty(
    shards: &mut [Shard<'_>],
    rows_per: usize,
    dim: usize,
    centroids: &[f32],
    fixed: FixedPoint,
    sums: &mut [i64],
    counts: &mut [i64],
) -> Vec<bool> {
    let mut touched = vec![false; shards.len()];
    let mut far: Vec<(f32, usize)> = shards
        .iter()
        .flat_map(|shard| {
            shard.labels.iter().enumerate().map(move |(i, &l)| {
                let l = l as usize;
                let point = &shard.data[i * dim..(i + 1) * dim];
                (
                    squared_distance(point, &centroids[l * dim..(l + 1) * dim]),
                    shard.first + i,
                )
            })
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
        let Some((_, global)) = donors.by_ref().find(|&(_, global)| {
            let shard = &shards[global / rows_per];
            counts[shard.labels[global - shard.first] as usize] > 1
        }) else {
            break;
        };
        let s = global / rows_per;
        touched[s] = true;
        let shard = &mut shards[s];
        let i = global - shard.first;
        let old = shard.labels[i] as usize;
        let point = &shard.data[i * dim..(i + 1) * dim];
        for t in 0..dim {
            let x = fixed.to_fixed(point[t]);
            sums[old * dim + t] -= x;
            sums[empty * dim + t] += x;
        }
        counts[old] -= 1;
        counts[empty] = 1;
        shard.labels[i] = empty as u32;
        shard.counted[i] = empty as u32;
        // Its bounds referred to the old label: force a full check next assignment.
        shard.upper[i] = f64::INFINITY;
        shard.lower[i] = 0.0;
    }
    touched
}
