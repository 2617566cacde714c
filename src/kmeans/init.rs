//! Greedy k-means++ seeding, as scikit-learn does it.
//!
//! The first centre is a uniformly drawn point; each next one is the best of
//! `2 + ⌊ln k⌋` candidates drawn with probability proportional to their
//! squared distance to the nearest centre so far, "best" meaning the one that
//! lowers the total squared distance the most.

use super::distance::{Blocked, BLOCK};
use super::messages::{Draw, Reply, SeedOrder, SeedReply};
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

/// What [`Seeder::absorb`] made of the replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// This many centres are placed.
    Placed(usize),
    /// The round's candidates are drawn.
    Drawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Draw,
    Try,
    Done,
}

/// Greedy k-means++ over shards, as a conversation like k-means' own (see
/// `algorithm`): each shard keeps its points' distances to the nearest
/// centre so far and measures the candidates against its own points; the
/// seeder draws and picks from per-block sums taken in global block order,
/// so the centres are the same for any number of shards. It reads candidate
/// rows from the whole matrix, which the coordinator holds.
pub struct Seeder<'a> {
    data: &'a [f32],
    dim: usize,
    k: usize,
    trials: usize,
    rng: StdRng,
    centroids: Vec<f32>,
    first: usize,
    /// Each shard's per-block sums for the centres so far.
    sums: Vec<Vec<f64>>,
    draws: Vec<Draw>,
    candidates: Vec<usize>,
    keep: Option<usize>,
    phase: Phase,
}

impl<'a> Seeder<'a> {
    /// Seeding `k` centres from the rows of `data` (`n × dim`, row after row, `n ≥ 1`).
    pub(crate) fn new(data: &'a [f32], dim: usize, k: usize, mut rng: StdRng) -> Seeder<'a> {
        let dim = dim.max(1);
        let n = data.len() / dim;
        let first = index(&mut rng, n);
        Seeder {
            data,
            dim,
            k,
            trials: 2 + (k as f64).ln() as usize,
            rng,
            centroids: Vec::with_capacity(k * dim),
            first,
            sums: Vec::new(),
            draws: Vec::new(),
            candidates: Vec::new(),
            keep: None,
            phase: if k == 0 { Phase::Done } else { Phase::Start },
        }
    }

    fn row(&self, i: usize) -> &'a [f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// What every shard does next; `None` once every centre is placed.
    pub fn order(&self) -> Option<SeedOrder> {
        match self.phase {
            Phase::Start => Some(SeedOrder::Start {
                centre: self.row(self.first).to_vec(),
                trials: self.trials,
            }),
            Phase::Draw => Some(SeedOrder::Draw {
                keep: self.keep,
                draws: self.draws.clone(),
            }),
            Phase::Try => Some(SeedOrder::Try {
                candidates: self
                    .candidates
                    .iter()
                    .map(|&c| self.row(c).to_vec())
                    .collect(),
            }),
            Phase::Done => None,
        }
    }

    /// Takes the shards' replies to the last [`Seeder::order`], in shard order.
    pub fn absorb(&mut self, replies: Vec<Reply>) -> Result<Seeded, String> {
        let out_of_turn = || format!("a seeding shard answered out of turn ({:?})", self.phase);
        let replies = replies
            .into_iter()
            .map(|reply| match reply {
                Reply::Seeded(reply) => Ok(reply),
                Reply::Refused(why) => Err(why),
                _ => Err(out_of_turn()),
            })
            .collect::<Result<Vec<SeedReply>, String>>()?;
        match self.phase {
            Phase::Start => {
                self.sums = Vec::with_capacity(replies.len());
                for reply in replies {
                    let SeedReply::Started(sums) = reply else {
                        return Err(out_of_turn());
                    };
                    self.sums.push(sums);
                }
                self.centroids.extend_from_slice(self.row(self.first));
                Ok(self.placed())
            }
            Phase::Draw => {
                let mut candidates = vec![usize::MAX; self.trials];
                for reply in replies {
                    let SeedReply::Drawn(drawn) = reply else {
                        return Err(out_of_turn());
                    };
                    for (trial, row) in drawn {
                        if let Some(slot) = candidates.get_mut(trial) {
                            *slot = row;
                        }
                    }
                }
                let n = self.data.len() / self.dim;
                if candidates.iter().any(|&c| c >= n) {
                    return Err(out_of_turn());
                }
                self.candidates = candidates;
                self.phase = Phase::Try;
                Ok(Seeded::Drawn)
            }
            Phase::Try => {
                let mut tried = Vec::with_capacity(replies.len());
                for reply in replies {
                    let SeedReply::Tried(sums) = reply else {
                        return Err(out_of_turn());
                    };
                    if sums.len() != self.trials || tried.len() >= self.sums.len() {
                        return Err(out_of_turn());
                    }
                    tried.push(sums);
                }
                // Each candidate's potential, summed block by block in global order.
                let mut best = (0usize, f64::INFINITY);
                for t in 0..self.trials {
                    let pot: f64 = tried.iter().flat_map(|shard| &shard[t]).sum();
                    if pot < best.1 {
                        best = (t, pot);
                    }
                }
                for (sums, mut shard) in self.sums.iter_mut().zip(tried) {
                    *sums = std::mem::take(&mut shard[best.0]);
                }
                self.centroids
                    .extend_from_slice(self.row(self.candidates[best.0]));
                self.keep = Some(best.0);
                Ok(self.placed())
            }
            Phase::Done => Err(out_of_turn()),
        }
    }

    /// After a centre is placed: done, or the next round's draws.
    fn placed(&mut self) -> Seeded {
        let placed = self.centroids.len() / self.dim;
        if placed >= self.k {
            self.phase = Phase::Done;
            return Seeded::Placed(placed);
        }
        // Cumulative sums at the end of each block, in global block order.
        let ends: Vec<f64> = self
            .sums
            .iter()
            .flatten()
            .scan(0.0f64, |running, &sum| {
                *running += sum;
                Some(*running)
            })
            .collect();
        let potential = ends.last().copied().unwrap_or(0.0);
        self.draws = (0..self.trials)
            .map(|trial| {
                let target = unit(&mut self.rng) * potential;
                let block = ends
                    .partition_point(|&x| x < target)
                    .min(ends.len().saturating_sub(1));
                let before = if block == 0 { 0.0 } else { ends[block - 1] };
                Draw {
                    trial,
                    block,
                    before,
                    target,
                }
            })
            .collect();
        self.phase = Phase::Draw;
        Seeded::Placed(placed)
    }

    /// The centres (`k × dim`) and the generator, to go on with.
    pub(crate) fn finish(self) -> (Vec<f32>, StdRng) {
        (self.centroids, self.rng)
    }
}

/// Chooses `k` initial centroids from the rows of `data` (`n × dim`,
/// row-major) with [`Seeder`], its shards here (`shards` of them, on
/// threads when `parallel`). `on_center` is called with 0 as the work
/// starts, then with the number of centres placed after each one.
#[cfg(test)]
pub(crate) fn kmeans_plus_plus(
    data: &[f32],
    dim: usize,
    k: usize,
    rng: &mut StdRng,
    (shards, parallel): (usize, bool),
    on_center: &mut dyn FnMut(usize),
) -> Vec<f32> {
    use super::algorithm::{seed_centres, shard_rows, Shard};
    let mut parts: Vec<Shard<'_>> = shard_rows(data, dim, shards)
        .into_iter()
        .map(|(first, rows)| Shard::new(std::borrow::Cow::Borrowed(rows), dim, first))
        .collect();
    use rand::SeedableRng;
    let seeder = Seeder::new(
        data,
        dim,
        k,
        std::mem::replace(rng, StdRng::seed_from_u64(0)),
    );
    let (centroids, advanced) = seed_centres(seeder, &mut parts, parallel, on_center).finish();
    *rng = advanced;
    centroids
}

/// One shard's seeding state: its points in blocks, and each point's
/// squared distance to the nearest centre so far (f32 like the data, as
/// scikit-learn keeps it; the seeder sums them in f64).
pub(crate) struct SeedShard {
    blocked: Blocked,
    /// Global index of the shard's first point.
    first: usize,
    closest: Vec<f32>,
    /// Distances if each candidate of the current round were chosen.
    candidate_dist: Vec<Vec<f32>>,
}

impl SeedShard {
    /// Answers `order` for the rows `rows` (global row `first` onwards),
    /// whose seeding state is `state` (made by the `Start` order).
    pub(crate) fn obey(
        state: &mut Option<SeedShard>,
        rows: &[f32],
        dim: usize,
        first: usize,
        order: &SeedOrder,
    ) -> Result<SeedReply, String> {
        if let SeedOrder::Start { centre, trials } = order {
            let part = state.insert(SeedShard::new(rows, dim, first, *trials));
            return Ok(SeedReply::Started(part.start(centre)));
        }
        let part = state
            .as_mut()
            .ok_or("a seeding order came before its start")?;
        match order {
            SeedOrder::Start { .. } => unreachable!("answered above"),
            SeedOrder::Draw { keep, draws } => {
                if let Some(t) = keep {
                    part.keep(*t)?;
                }
                let blocks = part.first / BLOCK..part.first / BLOCK + part.blocked.blocks();
                Ok(SeedReply::Drawn(
                    draws
                        .iter()
                        .filter(|d| blocks.contains(&d.block))
                        .map(|d| {
                            let row =
                                part.draw_in_block(d.block - blocks.start, d.before, d.target);
                            (d.trial, row)
                        })
                        .collect(),
                ))
            }
            SeedOrder::Try { candidates } => {
                if candidates.len() > part.candidate_dist.len()
                    || candidates.iter().any(|c| c.len() != part.blocked.dim)
                {
                    return Err("seeding candidates of the wrong shape".into());
                }
                let chosen: Vec<&[f32]> = candidates.iter().map(Vec::as_slice).collect();
                Ok(SeedReply::Tried(part.try_candidates(&chosen)))
            }
        }
    }

    fn new(rows: &[f32], dim: usize, first: usize, trials: usize) -> SeedShard {
        let blocked = Blocked::new(rows, dim);
        let padded = blocked.blocks() * BLOCK;
        SeedShard {
            blocked,
            first,
            closest: vec![0.0; padded],
            candidate_dist: vec![vec![0.0; padded]; trials],
        }
    }

    /// Distances to the first centre; returns the per-block sums.
    fn start(&mut self, centre: &[f32]) -> Vec<f64> {
        start_multiversioned(self, centre);
        self.blocked.block_sums(&self.closest)
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
    fn keep(&mut self, t: usize) -> Result<(), String> {
        let kept = self
            .candidate_dist
            .get_mut(t)
            .ok_or("a seeding order kept a candidate that was not tried")?;
        std::mem::swap(&mut self.closest, kept);
        Ok(())
    }
}

#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn start_multiversioned(part: &mut SeedShard, centre: &[f32]) {
    for b in 0..part.blocked.blocks() {
        part.closest[b * BLOCK..(b + 1) * BLOCK]
            .copy_from_slice(&part.blocked.block_distances(b, centre));
    }
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
