//! One k-means run from given centroids: Lloyd or Hamerly iterations over
//! shards of rows, as a conversation between a [`Coordinator`] and its
//! [`Shard`]s.
//!
//! Both algorithms follow scikit-learn's loop: assign, recompute centroids,
//! stop when no label changed ("strict convergence") or when the total
//! squared centroid shift is at most the absolute tolerance; after a
//! tolerance stop, one more assignment makes labels match the final
//! centroids. Hamerly keeps, per point, an upper bound on the distance to
//! its centroid and a lower bound on the distance to any other, and skips
//! the point only when the bounds beat each other by a margin larger than
//! f32 rounding, so it returns the same labels as Lloyd with far fewer
//! distance computations.
//!
//! **Shards** (the map/reduce step of distributed k-means): the rows are cut
//! into contiguous shards, each holding its own rows and per-row state
//! (labels, bounds). The coordinator holds the centroids and the sums. It
//! sends every shard the same [`Order`]; each shard answers with a
//! [`Reply`]: what its label changes did to the centroid sums and counts,
//! the rows farthest from their centroids (when a cluster emptied), or its
//! final labels and distances. The coordinator adds the replies up in shard
//! order and moves the centroids. The sums are kept in fixed point (`i64`),
//! where addition is associative, so the centroids, labels, inertia and
//! iteration count are the same bits for any number of shards.
//!
//! Orders and replies are plain values (serde), so the shards can live
//! anywhere: natively on threads ([`run`]), in the browser in shard workers
//! that hold their own rows and talk to the building worker by messages
//! (`web::shards`), which needs no shared memory.
//!
//! Empty clusters (policy, as in scikit-learn): a centroid left without
//! points moves onto the point farthest from its own centroid; that point
//! leaves its old cluster. Several empty clusters take the farthest points
//! in turn (farthest first, lower row first on ties). Each shard sends only
//! its `empty + k` farthest rows: a candidate is passed over only when its
//! cluster has one member left, which happens at most once per cluster, so
//! the global walk never reaches beyond `empty + k` candidates, and the
//! union of every shard's farthest rows holds all it reads.

use super::distance::{squared_distance, Transposed};
use super::init::{SeedShard, Seeded, Seeder};
use super::messages::{Assigned, Candidate, FixedPoint, Move, Moved, Order, Reply, Step};
use super::shards::{each_shard, rows_per_shard};
use super::Algorithm;
use std::borrow::Cow;

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    pub(crate) centroids: Vec<f32>,
    pub(crate) labels: Vec<u32>,
    pub(crate) inertia: f64,
    pub(crate) iterations: usize,
    pub(crate) distance_computations: u64,
}

/// What stays the same through a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunConfig {
    pub dim: usize,
    pub k: usize,
    pub rows: usize,
    pub max_iter: usize,
    pub tol_abs: f64,
    pub algorithm: Algorithm,
    pub fixed: FixedPoint,
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

/// Farthest first; the lower row first on ties, so runs are reproducible.
fn farther(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.distance.total_cmp(&a.distance).then(a.row.cmp(&b.row))
}

/// One shard: a contiguous run of rows and their per-row state. Natively
/// it borrows the matrix; a browser's shard worker owns its rows.
pub struct Shard<'a> {
    data: Cow<'a, [f32]>,
    dim: usize,
    /// Global index of the shard's first row.
    first: usize,
    labels: Vec<u32>,
    /// Labels at the end of the previous iteration (`u32::MAX`: none yet).
    previous: Vec<u32>,
    upper: Vec<f64>,
    lower: Vec<f64>,
    /// The label each row is counted under in the sums (`u32::MAX`: not yet).
    counted: Vec<u32>,
    /// Seeding's state, from its start to the run's first assignment.
    seed: Option<SeedShard>,
}

impl<'a> Shard<'a> {
    /// A shard of `data` (whole rows of `dim` values) whose first row is global row `first`.
    pub fn new(data: Cow<'a, [f32]>, dim: usize, first: usize) -> Shard<'a> {
        let dim = dim.max(1);
        let rows = data.len() / dim;
        Shard {
            data,
            dim,
            first,
            labels: vec![0; rows],
            previous: vec![u32::MAX; rows],
            upper: vec![f64::INFINITY; rows],
            lower: vec![0.0; rows],
            counted: vec![u32::MAX; rows],
            seed: None,
        }
    }

    fn reset(&mut self) {
        // Seeding is over: its blocked copy of the rows goes.
        self.seed = None;
        self.labels.fill(0);
        self.previous.fill(u32::MAX);
        self.upper.fill(f64::INFINITY);
        self.lower.fill(0.0);
        self.counted.fill(u32::MAX);
    }

    /// Rows of this shard.
    pub fn rows(&self) -> usize {
        self.labels.len()
    }

    /// Does what the coordinator asks.
    pub fn obey(&mut self, order: &Order) -> Reply {
        match order {
            Order::Seed(order) => {
                match SeedShard::obey(&mut self.seed, &self.data, self.dim, self.first, order) {
                    Ok(reply) => Reply::Seeded(reply),
                    Err(why) => Reply::Refused(why),
                }
            }
            Order::Assign(step) => {
                self.apply(&step.moves);
                Reply::Assigned(assign(self, step))
            }
            Order::Farthest { centroids, take } => Reply::Farthest(self.farthest(centroids, *take)),
            Order::Finish {
                centroids,
                reassign,
                moves,
            } => {
                self.apply(moves);
                let distances = finish(self, centroids, *reassign);
                Reply::Finished {
                    labels: self.labels.clone(),
                    distances,
                }
            }
        }
    }

    /// Moves this shard's rows among `moves` into their new clusters (the
    /// sums already count them there).
    fn apply(&mut self, moves: &[Move]) {
        let range = self.first..self.first + self.rows();
        for m in moves.iter().filter(|m| range.contains(&m.row)) {
            let i = m.row - self.first;
            self.labels[i] = m.label;
            self.counted[i] = m.label;
            // Its bounds referred to the old label: force a full check next assignment.
            self.upper[i] = f64::INFINITY;
            self.lower[i] = 0.0;
        }
    }

    /// The `take` rows farthest from their centroids, farthest first.
    fn farthest(&self, centroids: &[f32], take: usize) -> Vec<Candidate> {
        let dim = self.dim;
        let mut far: Vec<(f32, usize)> = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, &l)| {
                let l = l as usize;
                let point = &self.data[i * dim..(i + 1) * dim];
                (
                    squared_distance(point, &centroids[l * dim..(l + 1) * dim]),
                    i,
                )
            })
            .collect();
        let order = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if take < far.len() {
            far.select_nth_unstable_by(take, order);
            far.truncate(take);
        }
        far.sort_by(order);
        far.into_iter()
            .map(|(distance, i)| Candidate {
                distance,
                row: self.first + i,
                label: self.labels[i],
                previous: self.previous[i],
                point: self.data[i * dim..(i + 1) * dim].to_vec(),
            })
            .collect()
    }
}

/// A shard's assignment step: move its bounds, assign its rows, and return
/// what the label changes did to the sums.
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn assign(shard: &mut Shard<'_>, step: &Step) -> Assigned {
    let dim = shard.dim;
    let centroids = step.centroids.as_slice();
    let k = centroids.len() / dim;
    let slack = slack(dim);
    if step.remember {
        shard.previous.copy_from_slice(&shard.labels);
    } else {
        // A new run (another start of the same fit): nothing carries over.
        shard.reset();
    }
    let data: &[f32] = &shard.data;
    let row = |i: usize| &data[i * dim..(i + 1) * dim];
    let n = shard.labels.len();
    let mut computations = 0u64;
    let all = Transposed::new(centroids, dim);
    match step.algorithm {
        Algorithm::Lloyd => {
            for (i, label) in shard.labels.iter_mut().enumerate() {
                *label = all.nearest(row(i)).0 as u32;
            }
            computations += (n * k) as u64;
        }
        Algorithm::Hamerly => {
            if let Some(Moved {
                shifts,
                max_j,
                max_shift,
                second_shift,
            }) = &step.moved
            {
                // Bounds follow the centroids they refer to.
                for i in 0..n {
                    let a = shard.labels[i] as usize;
                    shard.upper[i] += shifts[a];
                    shard.lower[i] -= if a == *max_j {
                        *second_shift
                    } else {
                        *max_shift
                    };
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
                let (best, second) = all.two_nearest(row(i));
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
    let changed = shard
        .labels
        .iter()
        .zip(&shard.previous)
        .filter(|(a, b)| a != b)
        .count() as u64;
    Assigned {
        sums,
        counts,
        changed,
        computations,
    }
}

/// The last step of a shard: labels from the final centroids (unless the
/// run converged strictly, when they already are) and each row's squared
/// distance to its centroid.
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn finish(shard: &mut Shard<'_>, centroids: &[f32], reassign: bool) -> Vec<f32> {
    let dim = shard.dim;
    let data: &[f32] = &shard.data;
    let all = Transposed::new(centroids, dim);
    shard
        .labels
        .iter_mut()
        .enumerate()
        .map(|(i, label)| {
            let point = &data[i * dim..(i + 1) * dim];
            if reassign {
                let (j, d) = all.nearest(point);
                *label = j as u32;
                d
            } else {
                let l = *label as usize;
                squared_distance(point, &centroids[l * dim..(l + 1) * dim])
            }
        })
        .collect()
}

/// What [`Coordinator::absorb`] made of the shards' replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absorbed {
    /// Iteration `n` (1-based) is complete.
    Iterated(usize),
    /// A cluster emptied: the next order asks for the farthest rows.
    Relocating,
    /// The final labels are in: [`Coordinator::result`] gives the run.
    Done,
}

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Assign,
    Farthest,
    Finish,
    Done,
}

/// The coordinator of one run: the centroids, the fixed-point sums and the
/// counts. It never sees the rows, only the shards' replies.
pub struct Coordinator {
    dim: usize,
    k: usize,
    rows: usize,
    max_iter: usize,
    tol_abs: f64,
    algorithm: Algorithm,
    fixed: FixedPoint,
    centroids: Vec<f32>,
    sums: Vec<i64>,
    counts: Vec<i64>,
    shifts: Vec<f64>,
    /// Hamerly: the index of the largest move, the largest and the second.
    moved: Option<(usize, f64, f64)>,
    /// Rows moved into empty clusters, sent with the next order.
    moves: Vec<Move>,
    /// Rows whose label changed in the iteration being merged.
    changed: u64,
    computations: u64,
    iterations: usize,
    strict: bool,
    phase: Phase,
    /// Rows each shard sends, beyond the empty clusters, when one empties.
    spare: usize,
    labels: Vec<u32>,
    inertia: f64,
}

impl Coordinator {
    /// A run over `rows` rows from the seeded `centroids` (`k × dim`).
    pub(crate) fn new(cfg: &RunConfig, centroids: Vec<f32>) -> Coordinator {
        let (dim, k) = (cfg.dim, cfg.k);
        Coordinator {
            dim,
            k,
            rows: cfg.rows,
            max_iter: cfg.max_iter,
            tol_abs: cfg.tol_abs,
            algorithm: cfg.algorithm,
            fixed: cfg.fixed,
            centroids,
            sums: vec![0; k * dim],
            counts: vec![0; k],
            shifts: vec![0.0; k],
            moved: None,
            moves: Vec::new(),
            changed: 0,
            computations: 0,
            iterations: 0,
            strict: false,
            phase: if cfg.max_iter == 0 {
                Phase::Finish
            } else {
                Phase::Assign
            },
            spare: k,
            labels: Vec::new(),
            inertia: 0.0,
        }
    }

    /// What every shard does next (the same order for all).
    pub fn order(&self) -> Order {
        let centroids = self.centroids.clone();
        match self.phase {
            Phase::Assign => {
                let mut half_gap = vec![0.0f64; self.k];
                if self.algorithm == Algorithm::Hamerly {
                    centroid_half_gaps(&self.centroids, self.dim, self.k, &mut half_gap);
                }
                Order::Assign(Step {
                    algorithm: self.algorithm,
                    fixed: self.fixed,
                    centroids,
                    half_gap,
                    remember: self.iterations > 0,
                    moved: self.moved.map(|(max_j, max_shift, second_shift)| Moved {
                        shifts: self.shifts.clone(),
                        max_j,
                        max_shift,
                        second_shift,
                    }),
                    moves: self.moves.clone(),
                })
            }
            Phase::Farthest => Order::Farthest {
                centroids,
                take: self.counts.iter().filter(|&&c| c == 0).count() + self.spare,
            },
            Phase::Finish | Phase::Done => Order::Finish {
                centroids,
                reassign: !self.strict,
                moves: self.moves.clone(),
            },
        }
    }

    /// Takes the shards' replies to the last [`Coordinator::order`], in shard order.
    pub fn absorb(&mut self, replies: Vec<Reply>) -> Result<Absorbed, String> {
        let out_of_turn = || format!("a k-means shard answered out of turn ({:?})", self.phase);
        if let Some(Reply::Refused(why)) = replies.iter().find(|r| matches!(r, Reply::Refused(_))) {
            return Err(why.clone());
        }
        match self.phase {
            Phase::Assign => {
                self.moves.clear();
                self.iterations += 1;
                self.changed = 0;
                for reply in replies {
                    let Reply::Assigned(part) = reply else {
                        return Err(out_of_turn());
                    };
                    if part.sums.len() != self.sums.len() || part.counts.len() != self.k {
                        return Err(out_of_turn());
                    }
                    for (s, d) in self.sums.iter_mut().zip(&part.sums) {
                        *s += d;
                    }
                    for (c, d) in self.counts.iter_mut().zip(&part.counts) {
                        *c += d;
                    }
                    self.computations += part.computations;
                    self.changed += part.changed;
                }
                if self.counts.contains(&0) {
                    self.phase = Phase::Farthest;
                    return Ok(Absorbed::Relocating);
                }
                Ok(self.move_centroids())
            }
            Phase::Farthest => {
                let mut far = Vec::new();
                for reply in replies {
                    let Reply::Farthest(part) = reply else {
                        return Err(out_of_turn());
                    };
                    far.extend(part);
                }
                far.sort_by(farther);
                self.relocate_empty(far);
                Ok(self.move_centroids())
            }
            Phase::Finish => {
                self.moves.clear();
                for reply in replies {
                    let Reply::Finished { labels, distances } = reply else {
                        return Err(out_of_turn());
                    };
                    // Summed in row order, whatever the shards.
                    self.inertia += distances.iter().map(|&d| f64::from(d)).sum::<f64>();
                    self.labels.extend(labels);
                }
                if !self.strict {
                    self.computations += (self.rows * self.k) as u64;
                }
                self.phase = Phase::Done;
                Ok(Absorbed::Done)
            }
            Phase::Done => Err(out_of_turn()),
        }
    }

    /// Moves each empty cluster onto the farthest candidate whose cluster
    /// keeps at least one member; the move reaches its shard with the next order.
    fn relocate_empty(&mut self, far: Vec<Candidate>) {
        let dim = self.dim;
        let mut donors = far.into_iter();
        for empty in 0..self.k {
            if self.counts[empty] > 0 {
                continue;
            }
            let counts = &self.counts;
            let Some(donor) = donors.by_ref().find(|c| counts[c.label as usize] > 1) else {
                break;
            };
            let old = donor.label as usize;
            for (t, &x) in donor.point.iter().enumerate().take(dim) {
                let x = self.fixed.to_fixed(x);
                self.sums[old * dim + t] -= x;
                self.sums[empty * dim + t] += x;
            }
            self.counts[old] -= 1;
            self.counts[empty] = 1;
            // The row's label changed from `old` to `empty`: recount it against its previous label.
            let was_changed = u64::from(donor.previous != donor.label);
            let is_changed = u64::from(donor.previous != empty as u32);
            self.changed = self.changed - was_changed + is_changed;
            self.moves.push(Move {
                row: donor.row,
                label: empty as u32,
            });
        }
    }

    /// Recomputes the centroids from the sums and decides what comes next.
    fn move_centroids(&mut self) -> Absorbed {
        let (dim, fixed) = (self.dim, self.fixed);
        let mut total_shift = 0.0;
        for j in 0..self.k {
            let mut shift = 0.0f64;
            for t in 0..dim {
                let new = fixed.to_mean(self.sums[j * dim + t], self.counts[j]);
                let old = &mut self.centroids[j * dim + t];
                shift += f64::from(new - *old).powi(2);
                *old = new;
            }
            self.shifts[j] = shift.sqrt();
            total_shift += shift;
        }
        self.phase = Phase::Assign;
        if self.changed == 0 {
            self.strict = true;
            self.phase = Phase::Finish;
        } else {
            if self.algorithm == Algorithm::Hamerly {
                self.moved = Some(two_largest(&self.shifts));
            }
            if total_shift <= self.tol_abs || self.iterations >= self.max_iter {
                self.phase = Phase::Finish;
            }
        }
        Absorbed::Iterated(self.iterations)
    }

    /// The run, once [`Coordinator::absorb`] said [`Absorbed::Done`].
    pub fn result(self) -> RunResult {
        RunResult {
            centroids: self.centroids,
            labels: self.labels,
            inertia: self.inertia,
            iterations: self.iterations,
            distance_computations: self.computations,
        }
    }
}

/// The shards of `data` (rows of `dim` values): contiguous, whole blocks of
/// rows, at most `shards` of them; each with its first row's index.
pub(crate) fn shard_rows(data: &[f32], dim: usize, shards: usize) -> Vec<(usize, &[f32])> {
    let dim = dim.max(1);
    let rows_per = rows_per_shard(data.len() / dim, shards);
    data.chunks(rows_per * dim)
        .enumerate()
        .map(|(s, rows)| (s * rows_per, rows))
        .collect()
}

/// Drives seeding with every shard here (on threads when `parallel`),
/// reporting 0 at the start, then each centre placed.
pub(crate) fn seed_centres<'a>(
    mut seeder: Seeder<'a>,
    shards: &mut [Shard<'_>],
    parallel: bool,
    on_center: &mut dyn FnMut(usize),
) -> Seeder<'a> {
    on_center(0);
    while let Some(order) = seeder.order() {
        let order = Order::Seed(order);
        let replies = each_shard(shards, parallel, |shard| shard.obey(&order));
        // Cannot fail: these shards answer the orders of this seeder, in turn.
        if let Seeded::Placed(placed) = seeder
            .absorb(replies)
            .expect("shards here answer every order in turn")
        {
            on_center(placed);
        }
    }
    seeder
}

/// Drives a run with every shard here: on threads when `parallel`, else one
/// after another, reporting after each shard how far an assignment is.
pub(crate) fn run(
    mut coordinator: Coordinator,
    shards: &mut [Shard<'_>],
    parallel: bool,
    on_progress: &mut dyn FnMut(usize, Option<f32>),
) -> RunResult {
    loop {
        let order = coordinator.order();
        let replies = if parallel || !matches!(order, Order::Assign(_)) {
            each_shard(shards, parallel, |shard| shard.obey(&order))
        } else {
            // One after another: say how far the iteration is after each shard.
            let (total, next) = (shards.len() as f32, coordinator.iterations + 1);
            let mut done = 0.0;
            shards
                .iter_mut()
                .map(|shard| {
                    let reply = shard.obey(&order);
                    done += 1.0;
                    on_progress(next, Some(done / total));
                    reply
                })
                .collect()
        };
        // Cannot fail: these shards answer the orders of this coordinator, in turn.
        match coordinator
            .absorb(replies)
            .expect("shards here answer every order in turn")
        {
            Absorbed::Iterated(iteration) => on_progress(iteration, None),
            Absorbed::Relocating => {}
            Absorbed::Done => return coordinator.result(),
        }
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

#[cfg(test)]
mod tests;
