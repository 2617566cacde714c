//! The hot kernel: squared Euclidean distance between two f32 rows.
//!
//! Eight independent accumulators let LLVM vectorise the loop (one AVX2
//! register in the `multiversion` clones of the k-means loops, two SSE or
//! `simd128` registers otherwise) without `unsafe` or intrinsics. The
//! summation order is fixed by the source, so every target computes the
//! same value and native and browser runs give the same clusters.
//!
//! Measured and rejected: 16 lanes, and a four-centroids-at-once kernel
//! (register blocking); both were slower here. Seeding uses its own blocked
//! kernel (see `init.rs`), and a row against every centroid (the k-means
//! assignments) uses [`Transposed`]: on a million rows × 66 columns, k = 40,
//! Hamerly's iterations took 24% less time with it (10.7 s against 14.0 s,
//! the same 138 iterations), Lloyd's 10% less; groups of 16 or 8 centroids
//! were slower than 32.

/// Squared Euclidean distance between two rows of equal length.
///
/// ```
/// use reelmeans::squared_distance;
/// assert_eq!(squared_distance(&[0.0, 3.0], &[4.0, 0.0]), 25.0);
/// ```
#[inline(always)]
pub fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut acc = [0.0f32; LANES];
    let chunks_a = a.chunks_exact(LANES);
    let chunks_b = b.chunks_exact(LANES);
    let tail: f32 = chunks_a
        .remainder()
        .iter()
        .zip(chunks_b.remainder())
        .map(|(x, y)| (x - y) * (x - y))
        .sum();
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for i in 0..LANES {
            let d = ca[i] - cb[i];
            acc[i] += d * d;
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Index and squared distance of the nearest centroid (lowest index on ties).
#[inline(always)]
pub fn nearest(point: &[f32], centroids: &[f32], dim: usize) -> (usize, f32) {
    let mut best = (0, f32::INFINITY);
    for (j, c) in centroids.chunks_exact(dim.max(1)).enumerate() {
        let d = squared_distance(point, c);
        if d < best.1 {
            best = (j, d);
        }
    }
    best
}

/// Centroids laid out for measuring one row against all of them at once:
/// the centroids as the points of a [`Blocked`], so the row meets a
/// block's [`BLOCK`] centroids column after column with its value in a
/// register and no horizontal sums, where [`squared_distance`] takes one
/// centroid at a time. Each lane sums one centroid's squared differences
/// over the columns in order, so every target computes the same value.
/// Measured: blocks of 16 or 8 centroids were slower than 32.
#[derive(Debug, Clone)]
pub struct Transposed {
    blocked: Blocked,
}

impl Transposed {
    /// `centroids`: `k × dim`, row after row.
    pub fn new(centroids: &[f32], dim: usize) -> Transposed {
        Transposed {
            blocked: Blocked::new(centroids, dim.max(1)),
        }
    }

    /// The nearest centroid (index, squared distance; lowest index on ties)
    /// and the second-nearest squared distance.
    #[inline(always)]
    pub fn two_nearest(&self, point: &[f32]) -> ((usize, f32), f32) {
        let mut best = (0usize, f32::INFINITY);
        let mut second = f32::INFINITY;
        let k = self.blocked.n;
        for b in 0..self.blocked.blocks() {
            let distances = self.blocked.block_distances(b, point);
            let real = (k - b * BLOCK).min(BLOCK);
            for (lane, &d) in distances[..real].iter().enumerate() {
                if d < best.1 {
                    second = best.1;
                    best = (b * BLOCK + lane, d);
                } else if d < second {
                    second = d;
                }
            }
        }
        (best, second)
    }

    /// The nearest centroid (index, squared distance; lowest index on ties).
    #[inline(always)]
    pub fn nearest(&self, point: &[f32]) -> (usize, f32) {
        self.two_nearest(point).0
    }
}

/// Points regrouped in blocks of [`BLOCK`]: block `b` holds, column by
/// column, the values of points `b·BLOCK ..` (the last block zero-padded).
/// Comparing one centre with a block then needs no horizontal sums and gives
/// LLVM [`BLOCK`] independent lanes, and the block stays in L1 while every
/// candidate meets it: seeding runs about 4× faster than with the row kernel.
/// Each distance sums its columns in order, the same on every target (but not
/// the row kernel's order: measured, a blocked kernel in the row kernel's
/// order was slower than both). The assignments use it too, with the
/// centroids as its points ([`Transposed`]).
#[derive(Debug, Clone)]
pub(crate) struct Blocked {
    data: Vec<f32>,
    /// Points.
    pub(crate) n: usize,
    /// Values per point.
    pub(crate) dim: usize,
}

/// Points per block: four AVX2 or eight `simd128` registers of accumulators.
pub(crate) const BLOCK: usize = super::shards::ALIGN;

impl Blocked {
    pub(crate) fn new(rows: &[f32], dim: usize) -> Blocked {
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

    pub(crate) fn blocks(&self) -> usize {
        self.n.div_ceil(BLOCK)
    }

    /// Squared distances from the points of block `b` to `centre` (padding lanes: to the origin).
    #[inline(always)]
    pub(crate) fn block_distances(&self, b: usize, centre: &[f32]) -> [f32; BLOCK] {
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
    pub(crate) fn block_sums(&self, values: &[f32]) -> Vec<f64> {
        values[..self.n]
            .chunks(BLOCK)
            .map(|block| block.iter().map(|&x| f64::from(x)).sum::<f64>())
            .collect()
    }
}

// Property tests need proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matches_the_naive_sum(v in proptest::collection::vec((-1e3f32..1e3, -1e3f32..1e3), 0..40)) {
            let (a, b): (Vec<f32>, Vec<f32>) = v.into_iter().unzip();
            let naive: f64 = a.iter().zip(&b).map(|(x, y)| f64::from(x - y).powi(2)).sum();
            let fast = f64::from(squared_distance(&a, &b));
            prop_assert!((fast - naive).abs() <= 1e-4 * naive.max(1.0));
        }
    }

    proptest! {
        /// Every centroid, in any group and in a padded last group, is
        /// measured as the naive sum measures it; the two nearest are found.
        #[test]
        fn transposed_matches_the_naive_sums(
            values in proptest::collection::vec(-1e2f32..1e2, 3..400),
            dim in 1usize..9,
            k in 1usize..70,
        ) {
            let rows: Vec<&[f32]> = values.chunks_exact(dim).collect();
            prop_assume!(rows.len() > 1);
            let (point, centroids) = (rows[0], &rows[1..]);
            let k = k.min(centroids.len());
            let flat: Vec<f32> = centroids[..k].iter().flat_map(|c| c.iter().copied()).collect();
            let naive: Vec<f64> = centroids[..k]
                .iter()
                .map(|c| c.iter().zip(point).map(|(x, y)| f64::from(x - y).powi(2)).sum())
                .collect();
            let ((best, d), second) = Transposed::new(&flat, dim).two_nearest(point);
            let close = |a: f32, b: f64| (f64::from(a) - b).abs() <= 1e-4 * b.max(1.0);
            prop_assert!(close(d, naive[best]));
            let mut sorted = naive.clone();
            sorted.sort_by(f64::total_cmp);
            prop_assert!(close(d, sorted[0]));
            if k > 1 {
                prop_assert!(close(second, sorted[1]));
            }
        }
    }

    #[test]
    fn transposed_prefers_the_lowest_index_on_ties() {
        let centroids = [1.0, 0.0, -1.0, 0.0, 0.0, 1.0];
        assert_eq!(
            Transposed::new(&centroids, 2).nearest(&[0.0, 0.0]),
            (0, 1.0)
        );
    }

    #[test]
    fn nearest_prefers_the_lowest_index_on_ties() {
        let centroids = [1.0, 0.0, -1.0, 0.0];
        assert_eq!(nearest(&[0.0, 0.0], &centroids, 2), (0, 1.0));
    }
}
