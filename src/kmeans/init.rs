//! Greedy k-means++ seeding, as scikit-learn does it.
//!
//! The first centre is a uniformly drawn point; each next one is the best of
//! `2 + ⌊ln k⌋` candidates drawn with probability proportional to their
//! squared distance to the nearest centre so far, "best" meaning the one that
//! lowers the total squared distance the most.

use super::shards::{each_shard, rows_per_shard, ALIGN};
use rand::rngs::StdRng;
use rand::Rng;

/// A uniform draw in [0, 1).
pub(crate) fn unit(rng: &mut StdRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index in `0..n` (`n > 0`).
pub(crate) fn index(rng: &mut StdRng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// Keeps a uniform random sample of `take` items, in random order (a
/// Fisher–Yates shuffle stopped after `take` draws): the crate's one shuffle.
pub(crate) fn sample<T>(rng: &mut StdRng, mut items: Vec<T>, take: usize) -> Vec<T> {
    let take = take.min(items.len());
    for i in 0..take {
        let j = i + index(rng, items.len() - i);
        items.swap(i, j);
    }
    items.truncate(take);
    items
}

/// Chooses `k` initial centroids from the rows of `data` (`n × dim`, row-major).
///
/// The rows are split into `shards` (see [`super::shards`]); each shard
/// keeps its points' distances to the nearest centre so far and measures the
/// candidates against its own points, and the coordinator draws and picks
/// from per-block sums taken in global block order, so the centres are the
/// same for any number of shards.
///
/// `on_center` is called with 0 as the work starts, then with the number of
/// centres placed after each one (for progress).
pub fn kmeans_plus_plus(
    data: &[f32],
    dim: usize,
    k: usize,
    rng: &mut StdRng,
    (shards, parallel): (usize, bool),
    on_center: &mut dyn FnMut(usize),
) -> Vec<f32> {
    // Reported before the blocked copy and the first centre's distances,
    // which take a moment at a million rows.
    on_center(0);
    let dim = dim.max(1);
    let n = data.len() / dim;
    let row = |i: usize| &data[i * dim..(i + 1) * dim];
    let trials = 2 + (k as f64).ln() as usize;
    let per = rows_per_shard(n, shards);
    let mut slices: Vec<(usize, &[f32])> = data
        .chunks(per * dim)
        .enumerate()
        .map(|(s, rows)| (s * per, rows))
        .collect();
    let mut parts = each_shard(&mut slices, parallel, |(first, rows)| {
        SeedShard::new(rows, dim, *first, trials)
    });
    // Again after the blocked copy, so a million rows' copy and first
    // distances are two steps of progress, not one long silence.
    on_center(0);
    let mut centroids = Vec::with_capacity(k * dim);
    let first = index(rng, n);
    centroids.extend_from_slice(row(first));
    each_shard(&mut parts, parallel, |part| part.start(row(first)));
    on_center(1);
    for c in 1..k {
        // Cumulative sums at the end of each block, in global block order.
        let mut ends = Vec::with_capacity(n.div_ceil(BLOCK));
        let mut running = 0.0f64;
        for part in &parts {
            for &sum in &part.block_sums {
                running += sum;
                ends.push(running);
            }
        }
        let potential = running;
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                let target = unit(rng) * potential;
                let b = ends.partition_point(|&x| x < target).min(ends.len() - 1);
                let before = if b == 0 { 0.0 } else { ends[b - 1] };
                let part = &parts[b * BLOCK / per];
                part.draw_in_block(b - part.first / BLOCK, before, target)
            })
            .collect();
        let chosen: Vec<&[f32]> = candidates.iter().map(|&cand| row(cand)).collect();
        let block_sums = each_shard(&mut parts, parallel, |part| part.try_candidates(&chosen));
        // Each candidate's potential, summed block by block in global order.
        let pots: Vec<f64> = (0..trials)
            .map(|t| {
                let mut pot = 0.0f64;
                for shard in &block_sums {
                    for &sum in &shard[t] {
                        pot += sum;
                    }
                }
                pot
            })
            .collect();
        let mut best = (0usize, f64::INFINITY);
        for (t, &pot) in pots.iter().enumerate() {
            if pot < best.1 {
                best = (t, pot);
            }
        }
        for (part, mut sums) in parts.iter_mut().zip(block_sums) {
            part.keep(best.0, std::mem::take(&mut sums[best.0]));
        }
        centroids.extend_from_slice(row(candidates[best.0]));
        on_center(c + 1);
    }
    centroids
}

/// One shard's seeding state: its points in blocks, each point's squared
/// distance to the nearest centre so far (f32 like the data, as
/// scikit-learn keeps it; sums are taken in f64), and the per-block sums.
struct SeedShard {
    blocked: Blocked,
    /// Global index of the shard's first point.
    first: usize,
    closest: Vec<f32>,
    block_sums: Vec<f64>,
    /// Distances if each candidate of the current round were chosen.
    candidate_dist: Vec<Vec<f32>>,
}

impl SeedShard {
    fn new(rows: &[f32], dim: usize, first: usize, trials: usize) -> SeedShard {
        let blocked = Blocked::new(rows, dim);
        let padded = blocked.blocks() * BLOCK;
        SeedShard {
            blocked,
            first,
            closest: vec![0.0; padded],
            block_sums: Vec::new(),
            candidate_dist: vec![vec![0.0; padded]; trials],
        }
    }

    fn start(&mut self, centre: &[f32]) {
        start_multiversioned(self, centre);
    }

    /// The point of block `b` (local) where the running sum from `before`
    /// reaches `target`; the block's last point with a positive distance if
    /// rounding keeps it short.
    fn draw_in_block(&self, b: usize, before: f64, target: f64) -> usize {
        let real = (self.blocked.n - b * BLOCK).min(BLOCK);
        let lanes = &self.closest[b * BLOCK..b * BLOCK + real];
        let mut running = before;
        let mut fallback = real - 1;
        for (lane, &d) in lanes.iter().enumerate() {
            running += f64::from(d);
            if d > 0.0 {
                fallback = lane;
                if running >= target {
                    return self.first + b * BLOCK + lane;
                }
            }
        }
        self.first + b * BLOCK + fallback
    }

    /// Each candidate's block sums if it became the next centre.
    fn try_candidates(&mut self, chosen: &[&[f32]]) -> Vec<Vec<f64>> {
        try_candidates_multiversioned(self, chosen)
    }

    /// Keeps candidate `t`'s distances.
    fn keep(&mut self, t: usize, block_sums: Vec<f64>) {
        std::mem::swap(&mut self.closest, &mut self.candidate_dist[t]);
        self.block_sums = block_sums;
    }
}

#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn start_multiversioned(part: &mut SeedShard, centre: &[f32]) {
    for b in 0..part.blocked.blocks() {
        part.closest[b * BLOCK..(b + 1) * BLOCK]
            .copy_from_slice(&part.blocked.block_distances(b, centre));
    }
    part.block_sums = part.blocked.block_sums(&part.closest);
}

#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn try_candidates_multiversioned(part: &mut SeedShard, chosen: &[&[f32]]) -> Vec<Vec<f64>> {
    // One pass over the blocks for all candidates: each block stays in L1
    // while every candidate is compared with its points.
    for b in 0..part.blocked.blocks() {
        let lanes = b * BLOCK..(b + 1) * BLOCK;
        let old = &part.closest[lanes.clone()];
        for (t, centre) in chosen.iter().enumerate() {
            let d = part.blocked.block_distances(b, centre);
            for ((out, &o), &x) in part.candidate_dist[t][lanes.clone()]
                .iter_mut()
                .zip(old)
                .zip(&d)
            {
                *out = o.min(x);
            }
        }
    }
    part.candidate_dist[..chosen.len()]
        .iter()
        .map(|d| part.blocked.block_sums(d))
        .collect()
}

/// Points regrouped in blocks of [`BLOCK`]: block `b` holds, column by
/// column, the values of points `b·BLOCK ..` (the last block zero-padded).
/// Comparing one centre with a block then needs no horizontal sums and gives
/// LLVM [`BLOCK`] independent lanes, and the block stays in L1 while every
/// candidate meets it: seeding runs about 4× faster than with the row kernel.
/// Each distance sums its columns in order, the same on every target (but not
/// the row kernel's order, which is why only seeding uses it: measured, a
/// blocked kernel in the row kernel's order was slower than both).
struct Blocked {
    data: Vec<f32>,
    n: usize,
    dim: usize,
}

/// Points per block: four AVX2 or eight `simd128` registers of accumulators.
const BLOCK: usize = ALIGN;

impl Blocked {
    fn new(rows: &[f32], dim: usize) -> Blocked {
        let n = rows.len() / dim.max(1);
        let mut data = vec![0.0f32; n.div_ceil(BLOCK) * dim * BLOCK];
        for (i, row) in rows.chunks_exact(dim.max(1)).enumerate() {
            let (b, lane) = (i / BLOCK, i % BLOCK);
            for (j, &x) in row.iter().enumerate() {
                data[(b * dim + j) * BLOCK + lane] = x;
            }
        }
        Blocked { data, n, dim }
    }

    fn blocks(&self) -> usize {
        self.n.div_ceil(BLOCK)
    }

    /// Squared distances from the points of block `b` to `centre` (padding lanes: to the origin).
    #[inline(always)]
    fn block_distances(&self, b: usize, centre: &[f32]) -> [f32; BLOCK] {
        let block = &self.data[b * self.dim * BLOCK..(b + 1) * self.dim * BLOCK];
        let mut acc = [0.0f32; BLOCK];
        for (column, &c) in block.chunks_exact(BLOCK).zip(centre) {
            if let Ok(column) = <&[f32; BLOCK]>::try_from(column) {
                for (a, &x) in acc.iter_mut().zip(column) {
                    let d = x - c;
                    *a += d * d;
                }
            }
        }
        acc
    }

    /// Sum of each block's real points (padding excluded), in f64, in order.
    fn block_sums(&self, values: &[f32]) -> Vec<f64> {
        values[..self.n]
            .chunks(BLOCK)
            .map(|block| block.iter().map(|&x| f64::from(x)).sum::<f64>())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn seeds_land_in_separate_blobs() {
        // Three tight, far-apart blobs: k-means++ must take one seed from each.
        let mut data = Vec::new();
        for (cx, cy) in [(0.0, 0.0), (100.0, 0.0), (0.0, 100.0)] {
            for i in 0..20 {
                data.extend_from_slice(&[cx + (i % 5) as f32 * 0.1, cy + (i / 5) as f32 * 0.1]);
            }
        }
        let mut rng = StdRng::seed_from_u64(1);
        let c = kmeans_plus_plus(&data, 2, 3, &mut rng, (1, false), &mut |_| {});
        let mut blobs: Vec<usize> = c
            .chunks(2)
            .map(|p| usize::from(p[0] > 50.0) + 2 * usize::from(p[1] > 50.0))
            .collect();
        blobs.sort_unstable();
        assert_eq!(blobs, [0, 1, 2]);
    }

    #[test]
    fn blocked_distances_match_the_row_kernel() {
        let dim = 7;
        let rows: Vec<f32> = (0..(70 * dim))
            .map(|x| ((x * 37) % 101) as f32 * 0.1)
            .collect();
        let blocked = Blocked::new(&rows, dim);
        let centre = &rows[3 * dim..4 * dim];
        assert_eq!(blocked.blocks(), 3);
        for b in 0..blocked.blocks() {
            for (lane, d) in blocked.block_distances(b, centre).into_iter().enumerate() {
                let i = b * BLOCK + lane;
                if i < 70 {
                    let exact =
                        crate::kmeans::squared_distance(&rows[i * dim..(i + 1) * dim], centre);
                    assert!(
                        (d - exact).abs() <= 1e-4 * exact.max(1.0),
                        "{i}: {d} vs {exact}"
                    );
                }
            }
        }
    }

    #[test]
    fn identical_points_do_not_break_seeding() {
        let data = vec![1.0f32; 10 * 3];
        let mut rng = StdRng::seed_from_u64(3);
        let c = kmeans_plus_plus(&data, 3, 4, &mut rng, (1, false), &mut |_| {});
        assert_eq!(c.len(), 12);
        assert!(c.iter().all(|&x| x == 1.0));
    }
}
