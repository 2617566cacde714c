//! Greedy k-means++ seeding, as scikit-learn does it.
//!
//! The first centre is a uniformly drawn point; each next one is the best of
//! `2 + ⌊ln k⌋` candidates drawn with probability proportional to their
//! squared distance to the nearest centre so far, "best" meaning the one that
//! lowers the total squared distance the most.

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
/// `on_center` is called with 0 as the work starts, then with the number of
/// centres placed after each one (for progress).
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
pub fn kmeans_plus_plus(
    data: &[f32],
    dim: usize,
    k: usize,
    rng: &mut StdRng,
    on_center: &mut dyn FnMut(usize),
) -> Vec<f32> {
    // Reported before the blocked copy and the first centre's distances,
    // which take a moment at a million rows.
    on_center(0);
    let n = data.len() / dim.max(1);
    let row = |i: usize| &data[i * dim..(i + 1) * dim];
    let mut centroids = Vec::with_capacity(k * dim);
    let first = index(rng, n);
    centroids.extend_from_slice(row(first));
    let blocked = Blocked::new(data, dim);
    // Squared distance to the nearest centre so far, padded to whole blocks.
    // f32 like the data (as scikit-learn keeps it); sums are taken in f64.
    let padded = blocked.blocks() * BLOCK;
    let mut closest = vec![0.0f32; padded];
    for b in 0..blocked.blocks() {
        closest[b * BLOCK..(b + 1) * BLOCK]
            .copy_from_slice(&blocked.block_distances(b, row(first)));
    }
    let mut potential = blocked.sum_real(&closest);
    let trials = 2 + (k as f64).ln() as usize;
    let mut cumulative = vec![0.0f64; n];
    let mut candidate_dist = vec![vec![0.0f32; padded]; trials];
    on_center(1);
    for c in 1..k {
        let mut running = 0.0f64;
        for (cum, &d) in cumulative.iter_mut().zip(&closest) {
            running += f64::from(d);
            *cum = running;
        }
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                let target = unit(rng) * potential;
                cumulative.partition_point(|&x| x < target).min(n - 1)
            })
            .collect();
        // One pass over the blocks for all candidates: each block stays in
        // L1 while every candidate is compared with its points.
        let chosen: Vec<&[f32]> = candidates.iter().map(|&cand| row(cand)).collect();
        for b in 0..blocked.blocks() {
            let lanes = b * BLOCK..(b + 1) * BLOCK;
            let old = &closest[lanes.clone()];
            for (t, centre) in chosen.iter().enumerate() {
                let d = blocked.block_distances(b, centre);
                for ((out, &o), &x) in candidate_dist[t][lanes.clone()].iter_mut().zip(old).zip(&d)
                {
                    *out = o.min(x);
                }
            }
        }
        let pots: Vec<f64> = candidate_dist.iter().map(|d| blocked.sum_real(d)).collect();
        let mut best = (0usize, f64::INFINITY);
        for (t, &pot) in pots.iter().enumerate() {
            if pot < best.1 {
                best = (t, pot);
            }
        }
        potential = best.1;
        std::mem::swap(&mut closest, &mut candidate_dist[best.0]);
        centroids.extend_from_slice(row(candidates[best.0]));
        on_center(c + 1);
    }
    centroids
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
const BLOCK: usize = 32;

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

    /// Sum of the first `n` values (the real points; padding excluded), in f64, block by block.
    fn sum_real(&self, values: &[f32]) -> f64 {
        values[..self.n]
            .chunks(BLOCK)
            .map(|block| block.iter().map(|&x| f64::from(x)).sum::<f64>())
            .sum()
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
        let c = kmeans_plus_plus(&data, 2, 3, &mut rng, &mut |_| {});
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
        let c = kmeans_plus_plus(&data, 3, 4, &mut rng, &mut |_| {});
        assert_eq!(c.len(), 12);
        assert!(c.iter().all(|&x| x == 1.0));
    }
}
