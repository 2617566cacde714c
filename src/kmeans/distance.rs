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
//! kernel (see `init.rs`).

/// Squared Euclidean distance between two rows of equal length.
///
/// ```
/// use reelmeans::kmeans::squared_distance;
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

    #[test]
    fn nearest_prefers_the_lowest_index_on_ties() {
        let centroids = [1.0, 0.0, -1.0, 0.0];
        assert_eq!(nearest(&[0.0, 0.0], &centroids, 2), (0, 1.0));
    }
}
