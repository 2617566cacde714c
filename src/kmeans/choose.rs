//! Choosing k: inertia over a range of k (the elbow), silhouette on a seeded
//! sample, and a suggestion.

use super::distance::squared_distance;
use super::{KMeansError, KMeansParams};
use ndarray::ArrayView2;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

/// One point of the elbow curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ElbowPoint {
    /// Number of clusters.
    pub k: usize,
    /// Inertia of the fit.
    pub inertia: f64,
    /// Mean silhouette on the sample (`None` for k = 1).
    pub silhouette: Option<f64>,
}

/// Fits k-means for every k in `k_min..=k_max` (with `base`'s other
/// parameters) and measures silhouette on a seeded sample of `sample` rows;
/// `progress` sees each point as soon as it is computed.
pub fn elbow(
    data: ArrayView2<'_, f32>,
    k_min: usize,
    k_max: usize,
    base: &KMeansParams,
    sample: usize,
    progress: &mut dyn FnMut(&ElbowPoint),
) -> Result<Vec<ElbowPoint>, KMeansError> {
    if k_min == 0 {
        return Err(KMeansError::ZeroClusters);
    }
    if k_min > k_max {
        return Err(KMeansError::Invalid(format!(
            "k_min {k_min} is larger than k_max {k_max}"
        )));
    }
    let mut points = Vec::new();
    for k in k_min..=k_max.min(data.nrows()) {
        let point = elbow_point(data, &base.clone().k_value(k), sample)?;
        progress(&point);
        points.push(point);
    }
    if points.is_empty() {
        return Err(KMeansError::TooManyClusters {
            k: k_min,
            rows: data.nrows(),
        });
    }
    Ok(points)
}

/// One point of the elbow curve: a fit with `params` and its silhouette on
/// a seeded sample of `sample` rows.
fn elbow_point(
    data: ArrayView2<'_, f32>,
    params: &KMeansParams,
    sample: usize,
) -> Result<ElbowPoint, KMeansError> {
    let model = params.fit(data)?;
    let k = params.k();
    Ok(ElbowPoint {
        k,
        inertia: model.inertia(),
        silhouette: (k > 1).then(|| silhouette(data, model.labels(), sample, params.get_seed())),
    })
}

impl KMeansParams {
    /// The same parameters with another k.
    pub fn k_value(self, k: usize) -> KMeansParams {
        let mut p = KMeansParams::new(k)
            .seed(self.get_seed())
            .n_init(self.get_n_init())
            .max_iter(self.get_max_iter())
            .tolerance(self.get_tolerance());
        p = p.algorithm(self.get_algorithm());
        p
    }
}

/// Mean silhouette coefficient over a seeded sample of at most `sample` rows
/// (distances within the sample), in [-1, 1]; 0 when fewer than two clusters appear.
pub fn silhouette(data: ArrayView2<'_, f32>, labels: &[u32], sample: usize, seed: u64) -> f64 {
    let n = data.nrows();
    let picked: Vec<usize> = if n <= sample {
        (0..n).collect()
    } else {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5111_0E77);
        super::init::sample(&mut rng, (0..n).collect(), sample)
    };
    let k = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut sum = 0.0;
    let mut counted = 0usize;
    let rows: Vec<Vec<f32>> = picked.iter().map(|&i| data.row(i).to_vec()).collect();
    for (a, &i) in picked.iter().enumerate() {
        let mut total = vec![0.0f64; k];
        let mut count = vec![0usize; k];
        for (b, &j) in picked.iter().enumerate() {
            if a == b {
                continue;
            }
            let l = labels[j] as usize;
            total[l] += f64::from(squared_distance(&rows[a], &rows[b])).sqrt();
            count[l] += 1;
        }
        let own = labels[i] as usize;
        if count[own] == 0 {
            continue; // a singleton's silhouette is 0 by convention
        }
        let a_mean = total[own] / count[own] as f64;
        let b_mean = (0..k)
            .filter(|&l| l != own && count[l] > 0)
            .map(|l| total[l] / count[l] as f64)
            .fold(f64::INFINITY, f64::min);
        if b_mean.is_finite() {
            let s = (b_mean - a_mean) / a_mean.max(b_mean);
            sum += if s.is_finite() { s } else { 0.0 };
        }
        counted += 1;
    }
    if counted == 0 {
        0.0
    } else {
        sum / picked.len().max(1) as f64
    }
}

/// The elbow: the k whose point lies farthest below the straight line from
/// the first to the last point of the (normalised) inertia curve.
pub fn suggest_k(points: &[ElbowPoint]) -> Option<usize> {
    let (first, last) = (points.first()?, points.last()?);
    if points.len() < 3 {
        return Some(first.k);
    }
    let span_k = (last.k - first.k) as f64;
    let span_i = (first.inertia - last.inertia).max(f64::MIN_POSITIVE);
    points
        .iter()
        .map(|p| {
            let x = (p.k - first.k) as f64 / span_k;
            let y = (first.inertia - p.inertia) / span_i;
            (p.k, y - x)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn the_elbow_of_four_blobs_is_four() {
        let mut v = Vec::new();
        for (cx, cy) in [(0.0, 0.0), (30.0, 0.0), (0.0, 30.0), (30.0, 30.0)] {
            for i in 0..25 {
                v.extend_from_slice(&[cx + (i % 5) as f32 * 0.2, cy + (i / 5) as f32 * 0.2]);
            }
        }
        let data = Array2::from_shape_vec((100, 2), v).unwrap();
        let points = elbow(
            data.view(),
            1,
            8,
            &KMeansParams::new(1).seed(3).n_init(3),
            100,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(suggest_k(&points), Some(4));
        let best_silhouette = points
            .iter()
            .filter_map(|p| p.silhouette.map(|s| (p.k, s)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(best_silhouette.0, 4);
        assert!(best_silhouette.1 > 0.9);
    }

    #[test]
    fn silhouette_of_one_cluster_is_zero() {
        let data = Array2::from_shape_vec((3, 1), vec![0.0, 1.0, 2.0]).unwrap();
        assert_eq!(silhouette(data.view(), &[0, 0, 0], 10, 1), 0.0);
    }
}
