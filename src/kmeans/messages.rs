//! The messages of k-means as a conversation: what the seeder and the
//! coordinator ask of every shard ([`SeedOrder`], [`Order`]) and what each
//! shard answers ([`SeedReply`], [`Reply`]). Plain serde values, so shards
//! can run on threads or in other workers. Their own module, so that
//! seeding (`init`) and the iterations (`algorithm`) share them without
//! importing each other.

use super::Algorithm;
use serde::{Deserialize, Serialize};

/// Fixed-point centroid sums: each value times `2^shift`, truncated to an
/// `i64`. Integer sums do not depend on the order of additions (so shards
/// can be merged in any grouping), and adding a point then taking it away
/// leaves no drift. The shift leaves room for every row at the largest
/// magnitude in the data: the resolution, `2^-shift`, is below 1e-11 of that
/// magnitude at a million rows, far below an f32 centroid's rounding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixedPoint {
    pub(super) scale: f64,
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
    pub(super) fn to_fixed(self, x: f32) -> i64 {
        (f64::from(x) * self.scale) as i64
    }

    pub(super) fn to_mean(self, sum: i64, count: i64) -> f32 {
        (sum as f64 / self.scale / count.max(1) as f64) as f32
    }
}

/// What the seeder asks of every shard (see [`Seeder`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SeedOrder {
    /// Regroup the rows in blocks and measure them against the first centre.
    Start {
        /// The first centre.
        centre: Vec<f32>,
        /// Candidates per round.
        trials: usize,
    },
    /// Keep candidate `keep`'s distances (the last round's winner), then
    /// find the points the draws land on, in the blocks this shard holds.
    Draw {
        /// The last round's winner, if a round was run.
        keep: Option<usize>,
        /// One draw per candidate.
        draws: Vec<Draw>,
    },
    /// Each candidate's per-block sums if it became the next centre.
    Try {
        /// The candidates' rows.
        candidates: Vec<Vec<f32>>,
    },
}

/// A candidate's draw: the block its target falls in and the running sum before it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    pub(super) trial: usize,
    /// Global block index.
    pub(super) block: usize,
    pub(super) before: f64,
    pub(super) target: f64,
}

/// A shard's answer to a [`SeedOrder`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SeedReply {
    /// Per-block sums of the distances to the first centre.
    Started(Vec<f64>),
    /// `(trial, row)` for the draws that landed in this shard.
    Drawn(Vec<(usize, usize)>),
    /// Per candidate, its per-block sums.
    Tried(Vec<Vec<f64>>),
}

/// What the coordinator asks of every shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Order {
    /// A step of k-means++ seeding (see [`Seeder`]).
    Seed(SeedOrder),
    /// Assign the rows to the centroids.
    Assign(Step),
    /// Some cluster emptied: send the `take` rows farthest from their centroids.
    Farthest {
        /// The centroids the rows were assigned to, `k × dim`.
        centroids: Vec<f32>,
        /// How many rows.
        take: usize,
    },
    /// The run is over: send the final labels and squared distances.
    Finish {
        /// The final centroids, `k × dim`.
        centroids: Vec<f32>,
        /// Assign again (after a tolerance stop) rather than keep the labels.
        reassign: bool,
        /// Rows moved into empty clusters since the last order.
        moves: Vec<Move>,
    },
}

/// One assignment step, the same for every shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub(super) algorithm: Algorithm,
    pub(super) fixed: FixedPoint,
    /// `k × dim`.
    pub(super) centroids: Vec<f32>,
    /// Hamerly: half the distance from each centroid to its nearest other.
    pub(super) half_gap: Vec<f64>,
    /// Whether the labels are this run's (not on the first iteration).
    pub(super) remember: bool,
    /// Hamerly: how far the centroids moved last iteration.
    pub(super) moved: Option<Moved>,
    /// Rows moved into empty clusters since the last order.
    pub(super) moves: Vec<Move>,
}

/// How far each centroid moved, the index of the largest move, the
/// largest and the second largest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Moved {
    pub(super) shifts: Vec<f64>,
    pub(super) max_j: usize,
    pub(super) max_shift: f64,
    pub(super) second_shift: f64,
}

/// A row moved into an empty cluster.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Move {
    /// Global row index.
    pub(super) row: usize,
    /// Its new cluster.
    pub(super) label: u32,
}

/// A shard's answer to an [`Order`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// A seeding step's answer.
    Seeded(SeedReply),
    /// The order could not be followed (a coordinator's bug, never the data's).
    Refused(String),
    /// What an assignment did.
    Assigned(Assigned),
    /// The shard's farthest rows, farthest first.
    Farthest(Vec<Candidate>),
    /// Final labels and squared distances, in row order.
    Finished {
        /// Labels.
        labels: Vec<u32>,
        /// Squared distances to the labels' centroids.
        distances: Vec<f32>,
    },
}

/// What one shard's assignment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assigned {
    /// Change of the fixed-point sums, `k × dim`.
    pub(super) sums: Vec<i64>,
    /// Change of the counts.
    pub(super) counts: Vec<i64>,
    /// Rows whose label differs from the previous iteration's.
    pub(super) changed: u64,
    pub(super) computations: u64,
}

/// A row that may move into an empty cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub(super) distance: f32,
    /// Global row index.
    pub(super) row: usize,
    pub(super) label: u32,
    /// Its label at the end of the previous iteration (`u32::MAX`: none).
    pub(super) previous: u32,
    pub(super) point: Vec<f32>,
}
