//! Greedy k-means++ seeding, as scikit-learn does it.
//!
//! The first centre is a uniformly drawn point; each next one is the best of
//! `2 + ⌊ln k⌋` candidates drawn with probability proportional to their
//! squared distance to the nearest centre so far, "best" meaning the one that
//! lowers the total squared distance the most.

use super::distance::squared_distance;
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

/// Chooses `k` initial centroids from the rows of `data` (`n × dim`, row-major).
///
/// `on_center` is called after each centre is placed (for progress).
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
pub fn kmeans_plus_plus(
    data: &[f32],
    dim: usize,
    k: usize,
    rng: &mut StdRng,
    on_center: &mut dyn FnMut(usize),
) -> Vec<f32> {
    let n = data.len() / dim.max(1);
    let row = |i: usize| &data[i * dim..(i + 1) * dim];
    let mut centroids = Vec::with_capacity(k * dim);
    let first = index(rng, n);
    centroids.extend_from_slice(row(first));
    let mut closest: Vec<f64> = (0..n)
        .map(|i| f64::from(squared_distance(row(i), row(first))))
        .collect();
    let mut potential: f64 = closest.iter().sum();
    let trials = 2 + (k as f64).ln() as usize;
    let mut cumulative = vec![0.0f64; n];
    let mut candidate_dist = vec![vec![0.0f64; n]; trials];
    on_center(1);
    for c in 1..k {
        let mut running = 0.0;
        for (cum, d) in cumulative.iter_mut().zip(&closest) {
            running += d;
            *cum = running;
        }
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                let target = unit(rng) * potential;
                cumulative.partition_point(|&x| x < target).min(n - 1)
            })
            .collect();
        // One pass over the rows for all candidates: seeding is bound by memory
        // bandwidth, so streaming the matrix once per centre (not once per
        // candidate) is what makes it fast.
        let chosen: Vec<&[f32]> = candidates.iter().map(|&cand| row(cand)).collect();
        let mut pots = vec![0.0f64; trials];
        for (i, &old) in closest.iter().enumerate() {
            let point = row(i);
            for (t, centre) in chosen.iter().enumerate() {
                let d = old.min(f64::from(squared_distance(point, centre)));
                candidate_dist[t][i] = d;
                pots[t] += d;
            }
        }
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
    fn identical_points_do_not_break_seeding() {
        let data = vec![1.0f32; 10 * 3];
        let mut rng = StdRng::seed_from_u64(3);
        let c = kmeans_plus_plus(&data, 3, 4, &mut rng, &mut |_| {});
        assert_eq!(c.len(), 12);
        assert!(c.iter().all(|&x| x == 1.0));
    }
}
