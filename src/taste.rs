//! Taste: a few dozen coordinates per title, learnt from who interacted with it.
//!
//! Genres, year and rating say what a movie looks like on paper; two titles
//! with the same genres can have entirely different audiences. Taste factors
//! place titles by their audience instead: titles that the same people
//! rated, watched or finished end up close together, so clusters and
//! "similar" lists mean "the same people love it".
//!
//! **Method**: a truncated SVD of the item × user matrix (one row per
//! title, one column per user, 1 where the user interacted), computed with
//! the randomised range finder of Halko, Martinsson & Tropp (2011,
//! algorithm 4.4: a seeded random test matrix, power iterations with
//! re-orthonormalisation, then the small dense problem). The sparse products
//! are ours; the QR factorisations and the small symmetric eigenproblem are
//! `nalgebra`'s, which is pure Rust and runs the same in the web worker.
//! A title's factors are its row of `U Σ`, scaled to unit length, so the
//! Euclidean distance between two titles' factors is a function of their
//! cosine similarity. Signs are fixed (each factor's largest entry, the
//! first one among near-ties, is positive) so a seed gives the same factors
//! on every platform.
//!
//! Binary rather than the rating itself: taste here is who a title reached,
//! which works the same for ratings, progress or plain views. The defaults
//! were measured with binary values (docs/taste-and-evaluation.md); a
//! rating-weighted matrix has not been measured. The matrix holds the
//! interactions it is given: the evaluation passes only the kept
//! (training) part, so nothing held out can reach the factors (tested).
//!
//! **Titles nobody interacted with** have no row to learn from. They borrow
//! the mean factors of their nearest content neighbours (genres, era,
//! rating... the catalog's own features, taste excluded) among titles that
//! have factors, scaled to unit length like learnt ones, and are marked
//! as borrowed ([`Origin::Borrowed`], `Movie::taste_borrowed`) so no
//! reason claims an audience they do not have. `cargo bench --bench taste`
//! measures the choice: on the default catalog, with a tenth of the rated
//! titles treated as never rated, their "similar" lists have a mean real
//! taste cosine of 0.39 with borrowed unit factors, 0.31 with the mean left
//! short (short vectors gather near the origin, among themselves), and 0.26
//! with no taste at all; real factors give 0.76. With unit factors, titles
//! nobody rated make up 25% of those lists, about their share of the
//! catalog (26%).

use crate::catalog::Catalog;
use crate::features::{FeatureGroup, FeaturePipeline, FeatureSpec};
use crate::interactions::Interaction;
use crate::kmeans::squared_distance;
use crate::progress::Stage;
use nalgebra::DMatrix;
use ndarray::ArrayView2;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

/// How taste factors are learnt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TasteParams {
    /// Factors per title (capped by the numbers of titles and users).
    pub factors: usize,
    /// Power iterations of the range finder (more: sharper on slowly decaying spectra).
    pub power_iterations: usize,
    /// Extra random directions beyond `factors` in the range finder.
    pub oversample: usize,
    /// Content neighbours a title without interactions borrows from.
    pub neighbours: usize,
    /// Seed of the random test matrix.
    pub seed: u64,
}

impl Default for TasteParams {
    fn default() -> Self {
        TasteParams {
            factors: DEFAULT_FACTORS,
            power_iterations: 4,
            oversample: 10,
            neighbours: 10,
            seed: 42,
        }
    }
}

/// Factors per title unless said otherwise.
pub const DEFAULT_FACTORS: usize = 32;

/// Comparisons allowed when cold titles look for content neighbours; above
/// it, an evenly spaced sample of the titles with factors is searched.
const NEIGHBOUR_BUDGET: usize = 200_000_000;

/// Where a title's factors come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// Learnt from its own interactions.
    Learnt,
    /// Borrowed from its content neighbours.
    Borrowed,
    /// None yet (no interactions, not filled).
    Missing,
}

/// Why taste factors cannot be learnt.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TasteError {
    /// Too little to factorise.
    #[error("taste needs interactions from at least 2 users on at least 2 titles (found {users} users on {items} titles)")]
    TooFewInteractions {
        /// Users with an interaction.
        users: usize,
        /// Titles with an interaction.
        items: usize,
    },
    /// `factors` is 0.
    #[error("the number of taste factors must be at least 1")]
    NoFactors,
}

/// Unit-length taste factors for every title of a catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Taste {
    dims: usize,
    /// Row-major, titles × dims; zero rows for [`Origin::Missing`].
    factors: Vec<f32>,
    origin: Vec<Origin>,
    singular_values: Vec<f64>,
}

/// A sparse item × user matrix, rows in item order (compressed rows).
struct ItemUsers {
    items: usize,
    users: usize,
    row_start: Vec<usize>,
    user: Vec<u32>,
}

impl ItemUsers {
    /// One entry per distinct (item, user) pair.
    fn new(records: &[Interaction], items: usize) -> ItemUsers {
        let mut pairs: Vec<(u32, u32)> = records
            .iter()
            .filter(|r| (r.item as usize) < items)
            .map(|r| (r.item, r.user))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let users = pairs.iter().map(|p| p.1 as usize + 1).max().unwrap_or(0);
        let mut row_start = vec![0usize; items + 1];
        for &(item, _) in &pairs {
            row_start[item as usize + 1] += 1;
        }
        for i in 0..items {
            row_start[i + 1] += row_start[i];
        }
        ItemUsers {
            items,
            users,
            row_start,
            user: pairs.into_iter().map(|p| p.1).collect(),
        }
    }

    fn row(&self, item: usize) -> &[u32] {
        &self.user[self.row_start[item]..self.row_start[item + 1]]
    }

    /// `A X` for `X` users × l (row-major); items × l.
    fn times(&self, x: &[f64], l: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.items * l];
        for (i, o) in out.chunks_exact_mut(l).enumerate() {
            for &u in self.row(i) {
                let xu = &x[u as usize * l..(u as usize + 1) * l];
                for (a, b) in o.iter_mut().zip(xu) {
                    *a += b;
                }
            }
        }
        out
    }

    /// `Aᵀ Y` for `Y` items × l (row-major); users × l.
    fn transposed_times(&self, y: &[f64], l: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.users * l];
        for (i, yi) in y.chunks_exact(l).enumerate() {
            for &u in self.row(i) {
                let o = &mut out[u as usize * l..(u as usize + 1) * l];
                for (a, b) in o.iter_mut().zip(yi) {
                    *a += b;
                }
            }
        }
        out
    }
}

/// An orthonormal basis of the columns of a row-major `rows × l` matrix (row-major again).
fn orthonormal(rows: usize, l: usize, m: &[f64]) -> Vec<f64> {
    let q = DMatrix::from_row_slice(rows, l, m).qr().q();
    let mut out = vec![0.0; rows * l];
    for r in 0..rows {
        for c in 0..l {
            out[r * l + c] = q[(r, c)];
        }
    }
    out
}

impl Taste {
    /// Learns factors for the `items` titles of a catalog from interactions
    /// (`Interaction::item` indexes the catalog). Titles without an
    /// interaction get [`Origin::Missing`]; see [`Taste::borrow_missing`].
    /// `progress` receives [`Stage::Taste`] with the share done.
    pub fn learn(
        records: &[Interaction],
        items: usize,
        params: &TasteParams,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<Taste, TasteError> {
        if params.factors == 0 {
            return Err(TasteError::NoFactors);
        }
        let a = ItemUsers::new(records, items);
        let active_items = (0..items).filter(|&i| !a.row(i).is_empty()).count();
        if a.users < 2 || active_items < 2 {
            return Err(TasteError::TooFewInteractions {
                users: a.users,
                items: active_items,
            });
        }
        let rank = params.factors.min(active_items).min(a.users);
        let l = (rank + params.oversample).min(active_items).min(a.users);
        let mut rng = StdRng::seed_from_u64(params.seed);
        let omega: Vec<f64> = (0..a.users * l)
            .map(|_| crate::kmeans::unit(&mut rng) * 2.0 - 1.0)
            .collect();
        let steps = 2 + 2 * params.power_iterations;
        let mut done = 0;
        let mut step = || {
            done += 1;
            progress(Stage::Taste(done as f32 / steps as f32));
        };
        let mut q = orthonormal(items, l, &a.times(&omega, l));
        step();
        for _ in 0..params.power_iterations {
            let z = orthonormal(a.users, l, &a.transposed_times(&q, l));
            step();
            q = orthonormal(items, l, &a.times(&z, l));
            step();
        }
        // B = Qᵀ A, held as Bᵀ (users × l); B Bᵀ = (Bᵀ)ᵀ Bᵀ is l × l.
        let bt = a.transposed_times(&q, l);
        let bt = DMatrix::from_row_slice(a.users, l, &bt);
        let eigen = (bt.transpose() * &bt).symmetric_eigen();
        let mut order: Vec<usize> = (0..l).collect();
        order.sort_by(|&x, &y| {
            eigen.eigenvalues[y]
                .total_cmp(&eigen.eigenvalues[x])
                .then(x.cmp(&y))
        });
        order.truncate(rank);
        let singular_values: Vec<f64> = order
            .iter()
            .map(|&c| eigen.eigenvalues[c].max(0.0).sqrt())
            .collect();
        // U Σ = Q W Σ, one factor per kept eigenvector.
        let mut factors = vec![0.0f64; items * rank];
        for (f, (&c, &sigma)) in order.iter().zip(&singular_values).enumerate() {
            for i in 0..items {
                let qi = &q[i * l..(i + 1) * l];
                let v: f64 = qi
                    .iter()
                    .enumerate()
                    .map(|(j, x)| x * eigen.eigenvectors[(j, c)])
                    .sum();
                factors[i * rank + f] = v * sigma;
            }
            // A factor and its negation are the same factor: keep the one
            // whose largest entry is positive, so the result is reproducible.
            // Entries within rounding of the largest tie, and the first wins,
            // so rounding noise cannot pick the sign.
            let largest = (0..items)
                .map(|i| factors[i * rank + f].abs())
                .fold(0.0f64, f64::max);
            let pivot = (0..items)
                .map(|i| factors[i * rank + f])
                .find(|x| x.abs() >= largest * (1.0 - 1e-6))
                .unwrap_or(0.0);
            if pivot < 0.0 {
                for i in 0..items {
                    factors[i * rank + f] = -factors[i * rank + f];
                }
            }
        }
        step();
        let mut origin = vec![Origin::Missing; items];
        let mut unit = vec![0.0f32; items * rank];
        for i in 0..items {
            let row = &factors[i * rank..(i + 1) * rank];
            let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
            if !a.row(i).is_empty() && norm > 0.0 && norm.is_finite() {
                origin[i] = Origin::Learnt;
                for (o, x) in unit[i * rank..(i + 1) * rank].iter_mut().zip(row) {
                    *o = (x / norm) as f32;
                }
            }
        }
        Ok(Taste {
            dims: rank,
            factors: unit,
            origin,
            singular_values,
        })
    }

    /// Factors per title.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Number of titles.
    pub fn len(&self) -> usize {
        self.origin.len()
    }

    /// True when there are no titles.
    pub fn is_empty(&self) -> bool {
        self.origin.is_empty()
    }

    /// The factors of title `item` (zeros when it has none).
    pub fn row(&self, item: usize) -> &[f32] {
        &self.factors[item * self.dims..(item + 1) * self.dims]
    }

    /// Where each title's factors come from.
    pub fn origin(&self, item: usize) -> Origin {
        self.origin[item]
    }

    /// How many titles have factors of each origin: (learnt, borrowed, missing).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |o| self.origin.iter().filter(|&&x| x == o).count();
        (
            count(Origin::Learnt),
            count(Origin::Borrowed),
            count(Origin::Missing),
        )
    }

    /// The singular values behind the factors, largest first.
    pub fn singular_values(&self) -> &[f64] {
        &self.singular_values
    }

    /// Forgets the factors of the given titles (for measuring the fallback).
    pub fn forget(&mut self, items: &[usize]) {
        for &i in items {
            if i < self.origin.len() {
                self.origin[i] = Origin::Missing;
                self.factors[i * self.dims..(i + 1) * self.dims].fill(0.0);
            }
        }
    }

    /// Gives every [`Origin::Missing`] title the mean factors of its
    /// `neighbours` nearest titles with learnt factors in `content` (one row
    /// per title: the catalog's features without taste), scaled to unit
    /// length. Returns how many titles borrowed.
    pub fn borrow_missing(&mut self, content: ArrayView2<f32>, neighbours: usize) -> usize {
        self.borrow_missing_scaled(content, neighbours, true)
    }

    /// [`Taste::borrow_missing`], with the mean left as it is when
    /// `unit_length` is false: the alternative `benches/taste.rs` measures.
    pub fn borrow_missing_scaled(
        &mut self,
        content: ArrayView2<f32>,
        neighbours: usize,
        unit_length: bool,
    ) -> usize {
        let learnt: Vec<usize> = (0..self.len())
            .filter(|&i| self.origin[i] == Origin::Learnt)
            .collect();
        let missing: Vec<usize> = (0..self.len())
            .filter(|&i| self.origin[i] == Origin::Missing)
            .collect();
        if learnt.is_empty() || missing.is_empty() || neighbours == 0 {
            return 0;
        }
        if content.nrows() != self.len() {
            return 0;
        }
        let pool_size = (NEIGHBOUR_BUDGET / missing.len())
            .max(neighbours)
            .min(learnt.len());
        let pool: Vec<usize> = (0..pool_size)
            .map(|j| learnt[j * learnt.len() / pool_size])
            .collect();
        let row = |i: usize| content.row(i).to_vec();
        let pool_rows: Vec<Vec<f32>> = pool.iter().map(|&i| row(i)).collect();
        let k = neighbours.min(pool.len());
        let mut scored: Vec<(f32, usize)> = Vec::with_capacity(pool.len());
        for &i in &missing {
            let query = row(i);
            scored.clear();
            scored.extend(
                pool.iter()
                    .zip(&pool_rows)
                    .map(|(&j, r)| (squared_distance(&query, r), j)),
            );
            let by = |a: &(f32, usize), b: &(f32, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
            scored.select_nth_unstable_by(k - 1, by);
            let mut mean = vec![0.0f32; self.dims];
            for &(_, j) in &scored[..k] {
                for (m, x) in mean.iter_mut().zip(self.row(j)) {
                    *m += x / k as f32;
                }
            }
            let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt();
            if unit_length && norm > 0.0 && norm.is_finite() {
                mean.iter_mut().for_each(|x| *x /= norm);
            }
            self.factors[i * self.dims..(i + 1) * self.dims].copy_from_slice(&mean);
            self.origin[i] = Origin::Borrowed;
        }
        missing.len()
    }

    /// Writes the factors into the catalog's movies (`Movie::taste`,
    /// `Movie::taste_borrowed`); titles still without factors get none.
    pub fn apply(&self, catalog: &mut Catalog) {
        for (i, movie) in catalog.movies_mut().iter_mut().enumerate().take(self.len()) {
            movie.taste = if self.origin[i] == Origin::Missing {
                Vec::new()
            } else {
                self.row(i).to_vec()
            };
            movie.taste_borrowed = self.origin[i] == Origin::Borrowed;
        }
    }
}

/// What [`learn_for_catalog`] did, for a note to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TasteSummary {
    /// Factors per title.
    pub dims: usize,
    /// Titles with factors learnt from their own interactions.
    pub learnt: usize,
    /// Titles that borrowed factors from content neighbours.
    pub borrowed: usize,
}

/// The catalog's content features without taste, for finding neighbours.
pub fn content_matrix(catalog: &Catalog) -> Option<ndarray::Array2<f32>> {
    let mut spec = FeatureSpec::default();
    spec.weights.set(FeatureGroup::Taste, 0.0);
    let pipeline = FeaturePipeline::fit(catalog, &spec).ok()?;
    Some(pipeline.transform(catalog))
}

/// Learns taste factors from interactions with the catalog's titles, lets
/// titles without interactions borrow them, and stores them in the movies.
pub fn learn_for_catalog(
    catalog: &mut Catalog,
    records: &[Interaction],
    params: &TasteParams,
    progress: &mut dyn FnMut(Stage),
) -> Result<TasteSummary, TasteError> {
    let mut taste = Taste::learn(records, catalog.len(), params, &mut |stage| match stage {
        Stage::Taste(share) => progress(Stage::Taste(share * 0.9)),
        other => progress(other),
    })?;
    let (learnt, _, missing) = taste.counts();
    let borrowed = if missing > 0 {
        content_matrix(catalog).map_or(0, |content| {
            taste.borrow_missing(content.view(), params.neighbours)
        })
    } else {
        0
    };
    progress(Stage::Taste(1.0));
    taste.apply(catalog);
    Ok(TasteSummary {
        dims: taste.dims(),
        learnt,
        borrowed,
    })
}

/// Learns taste from a ratings file joined to a catalog, as the app and the
/// CLI do for a catalog uploaded with its ratings: `None` when the catalog
/// already has factors or the file has no user column (IMDb's
/// `title.ratings.tsv` holds only averages, which say nothing about taste).
pub fn learn_from_ratings_file(
    catalog: &mut Catalog,
    ratings: &[u8],
    progress: &mut dyn FnMut(Stage),
) -> Option<Result<TasteSummary, TasteError>> {
    if catalog.taste_dims() > 0 {
        return None;
    }
    let interactions = crate::interactions::Interactions::parse(ratings, catalog, None).ok()?;
    Some(learn_for_catalog(
        catalog,
        &interactions.records,
        &TasteParams::default(),
        progress,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interactions(pairs: &[(u32, u32)]) -> Vec<Interaction> {
        pairs
            .iter()
            .map(|&(item, user)| Interaction {
                user,
                item,
                strength: 1.0,
                time: 0,
            })
            .collect()
    }

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        dot / (n(a) * n(b))
    }

    #[test]
    fn a_hand_checked_rank_two_matrix_is_recovered_exactly() {
        // Items 0, 1 are loved by users 0-2; items 2, 3 by users 3-5; item 4 by
        // everyone. A = [[1,1,1,0,0,0],[1,1,1,0,0,0],[0,0,0,1,1,1],[0,0,0,1,1,1],[1,1,1,1,1,1]].
        // A Aᵀ = [[3,3,0,0,3],[3,3,0,0,3],[0,0,3,3,3],[0,0,3,3,3],[3,3,3,3,6]] has
        // eigenvectors (1,1,1,1,2) with eigenvalue 12 and (1,1,-1,-1,0) with 6
        // (the rest 0): singular values 2√3 and √6. Rows of U Σ: items 0, 1 at
        // (√1.5, √1.5), items 2, 3 at (√1.5, -√1.5), item 4 at (√6, 0).
        let mut pairs = Vec::new();
        for u in 0..3 {
            pairs.extend([(0, u), (1, u), (4, u)]);
        }
        for u in 3..6 {
            pairs.extend([(2, u), (3, u), (4, u)]);
        }
        let params = TasteParams {
            factors: 2,
            ..TasteParams::default()
        };
        let t = Taste::learn(&interactions(&pairs), 6, &params, &mut |_| {}).unwrap();
        assert_eq!(t.dims(), 2);
        let s = t.singular_values();
        assert!((s[0] - 12f64.sqrt()).abs() < 1e-9, "{s:?}");
        assert!((s[1] - 6f64.sqrt()).abs() < 1e-9, "{s:?}");
        // Same audience, same direction; different audiences, orthogonal-ish; item 4 in between.
        assert!(cosine(t.row(0), t.row(1)) > 0.9999);
        assert!(cosine(t.row(2), t.row(3)) > 0.9999);
        assert!(cosine(t.row(0), t.row(2)).abs() < 1e-6);
        let half = 0.5f32.sqrt();
        assert!((cosine(t.row(4), t.row(0)) - half).abs() < 1e-5);
        for i in 0..5 {
            let norm: f32 = t.row(i).iter().map(|x| x * x).sum();
            assert!((norm - 1.0).abs() < 1e-5, "unit rows");
        }
        // Signs fixed: each factor's largest entry (item 4's first, items 0/1's second) is positive.
        let h = 0.5f32.sqrt();
        for (item, expected) in [(0, [h, h]), (2, [h, -h]), (4, [1.0, 0.0])] {
            let row = t.row(item);
            assert!(
                (row[0] - expected[0]).abs() < 1e-5 && (row[1] - expected[1]).abs() < 1e-5,
                "item {item}: {row:?}"
            );
        }
        assert_eq!(t.origin(5), Origin::Missing, "item 5 has no interactions");
        assert!(t.row(5).iter().all(|&x| x == 0.0));
        assert_eq!(t.counts(), (5, 0, 1));
    }

    #[test]
    fn the_same_seed_gives_the_same_factors_and_repeats_count_once() {
        let mut pairs = Vec::new();
        for u in 0..40u32 {
            for i in 0..30u32 {
                if (u * 7 + i * 3) % 5 < 2 || (u % 3 == i % 3) {
                    pairs.push((i, u));
                }
            }
        }
        let records = interactions(&pairs);
        let params = TasteParams {
            factors: 8,
            ..TasteParams::default()
        };
        let a = Taste::learn(&records, 30, &params, &mut |_| {}).unwrap();
        let b = Taste::learn(&records, 30, &params, &mut |_| {}).unwrap();
        assert_eq!(a, b);
        let mut doubled = records.clone();
        doubled.extend(records.iter().copied());
        let c = Taste::learn(&doubled, 30, &params, &mut |_| {}).unwrap();
        assert_eq!(a, c, "an interaction repeated is the same interaction");
    }

    #[test]
    fn too_little_data_is_a_clear_error() {
        let one_user = interactions(&[(0, 0), (1, 0)]);
        let err = Taste::learn(&one_user, 3, &TasteParams::default(), &mut |_| {}).unwrap_err();
        assert_eq!(err, TasteError::TooFewInteractions { users: 1, items: 2 });
        assert!(err.to_string().contains("at least 2 users"));
        let zero = TasteParams {
            factors: 0,
            ..TasteParams::default()
        };
        let two = interactions(&[(0, 0), (1, 1)]);
        assert_eq!(
            Taste::learn(&two, 2, &zero, &mut |_| {}),
            Err(TasteError::NoFactors)
        );
    }

    #[test]
    fn a_title_without_interactions_borrows_from_its_content_neighbours() {
        // Two audiences; titles 0-3 are dramas loved by users 0-4, 4-7
        // comedies loved by users 5-9. Title 8 is a drama nobody rated.
        let mut csv = String::from("title,genres\n");
        for i in 0..9 {
            let genre = if i < 4 || i == 8 { "Drama" } else { "Comedy" };
            csv += &format!("T{i},{genre}\n");
        }
        let mut catalog = Catalog::parse(csv.as_bytes()).unwrap();
        let mut pairs = Vec::new();
        for u in 0..5 {
            pairs.extend((0..4).map(|i| (i, u)));
        }
        for u in 5..10 {
            pairs.extend((4..8).map(|i| (i, u)));
        }
        let params = TasteParams {
            factors: 2,
            neighbours: 3,
            ..TasteParams::default()
        };
        let summary =
            learn_for_catalog(&mut catalog, &interactions(&pairs), &params, &mut |_| {}).unwrap();
        assert_eq!(
            summary,
            TasteSummary {
                dims: 2,
                learnt: 8,
                borrowed: 1
            }
        );
        let cold = &catalog.movies()[8];
        assert!(
            cosine(&cold.taste, &catalog.movies()[0].taste) > 0.999,
            "like the dramas"
        );
        assert!(cosine(&cold.taste, &catalog.movies()[4].taste).abs() < 1e-3);
        let norm: f32 = cold.taste.iter().map(|x| x * x).sum();
        assert!(
            (norm - 1.0).abs() < 1e-5,
            "unit length, like learnt factors"
        );
        assert!(cold.taste_borrowed && !catalog.movies()[0].taste_borrowed);
    }

    #[test]
    fn taste_columns_in_a_file_are_read_as_directions_whatever_their_numbers() {
        let csv = "title,genres,taste_1,taste_2\n\
                   A,Drama,3,4\nB,Drama,1e300,1e300\nC,Drama,0,0\nD,Drama,0.6,\nE,Drama,-1e-300,0\n";
        let c = Catalog::parse(csv.as_bytes()).unwrap();
        let taste: Vec<&[f32]> = c.movies().iter().map(|m| m.taste.as_slice()).collect();
        assert_eq!(taste[0], [0.6, 0.8]);
        let h = 0.5f32.sqrt();
        assert!((taste[1][0] - h).abs() < 1e-6 && (taste[1][1] - h).abs() < 1e-6);
        assert!(taste[2].is_empty(), "no direction");
        assert!(taste[3].is_empty(), "partial");
        assert_eq!(taste[4], [-1.0, 0.0], "tiny but a direction");
        let data = crate::ClusteredCatalog::build(
            c,
            &FeatureSpec::default(),
            &crate::KMeansParams::new(2),
            &mut |_| {},
        )
        .unwrap();
        assert!(data.matrix().iter().all(|x| x.is_finite()));
    }

    #[test]
    fn a_ratings_file_gives_taste_only_when_it_has_users() {
        let mut catalog = Catalog::parse(b"movieId,title\n1,A\n2,B\n3,C\n").unwrap();
        let averages = b"movieId,rating\n1,4.0\n2,3.5\n";
        assert!(learn_from_ratings_file(&mut catalog, averages, &mut |_| {}).is_none());
        let per_user = b"userId,movieId,rating\n1,1,5\n1,2,4\n2,2,3\n2,3,5\n";
        let summary = learn_from_ratings_file(&mut catalog, per_user, &mut |_| {})
            .unwrap()
            .unwrap();
        assert_eq!((summary.learnt, summary.borrowed), (3, 0));
        assert_eq!(catalog.taste_dims(), 2, "capped by 2 users");
        // Factors that are there already are kept.
        assert!(learn_from_ratings_file(&mut catalog, per_user, &mut |_| {}).is_none());
    }
}
