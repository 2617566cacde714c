//! What a user should know about how their files were read and clustered,
//! as data: the core and the workers make [`Note`]s, and their words are
//! written once, here ([`Note`]'s `Display`), for the page and the CLI alike.

use crate::catalog::{SkipKind, SkipReason, UnreadValues};
use crate::table::RowIssue;
use crate::taste::TasteSummary;
use crate::text::{counted, thousands};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One thing worth knowing about a build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Note {
    /// A column had cells its format could not read (they are missing).
    Unread(UnreadValues),
    /// A ratings file was joined.
    RatingsJoined {
        /// Titles that got ratings.
        joined: usize,
        /// Titles in the catalog.
        titles: usize,
    },
    /// Taste factors were learnt from a per-user ratings file.
    Taste(TasteSummary),
    /// A per-user ratings file gave no taste factors, and why.
    NoTaste(String),
    /// IMDb's `title.basics` came without `title.ratings`: no minimum of
    /// votes could be applied.
    NoImdbRatings {
        /// The minimum asked for.
        min_votes: u32,
    },
    /// What IMDb's filter kept.
    ImdbKept {
        /// Titles kept.
        kept: usize,
        /// Rows read.
        read: usize,
        /// TV movies were kept too.
        tv_movies: bool,
        /// The minimum of votes applied, if any.
        min_votes: Option<u32>,
    },
    /// Rows of IMDb's ratings file could not be read.
    UnreadableImdbRatings(usize),
    /// Rows of the catalog were left out.
    RowsLeftOut {
        /// How many.
        total: usize,
        /// How many of each kind.
        by_kind: Vec<(SkipKind, usize)>,
        /// The first of them.
        first: Option<RowIssue<SkipReason>>,
    },
    /// The clusters are a saved model's.
    FromModel {
        /// The model's file.
        name: String,
        /// Its clusters.
        k: usize,
    },
    /// k-means ran.
    KMeans {
        /// Seconds from seeding to the final labels.
        seconds: f64,
        /// Clusters.
        k: usize,
        /// Seed.
        seed: u64,
        /// Iterations.
        iterations: usize,
        /// Inertia.
        inertia: f64,
        /// Shards of rows.
        shards: usize,
        /// Workers they ran on.
        workers: usize,
        /// Seconds of seeding.
        seeding: f64,
    },
    /// k-means could not use other workers, and why.
    Unshared(String),
    /// A catalog split into per-cluster files.
    Split {
        /// Titles in its list.
        titles: usize,
        /// Cluster files.
        clusters: usize,
        /// The model it was clustered with.
        model: String,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Unread(u) => write!(
                f,
                "{}: {} not read as {} (first: \"{}\")",
                u.column,
                counted(u.count, "value"),
                u.format,
                u.example
            ),
            Note::RatingsJoined { joined, titles } => write!(
                f,
                "ratings joined for {} of {} titles",
                thousands(*joined),
                thousands(*titles)
            ),
            Note::Taste(t) => write!(
                f,
                "taste: {} factors learnt for {} titles from who interacted with them; {} titles without interactions borrowed them from similar titles",
                t.dims, t.learnt, t.borrowed
            ),
            Note::NoTaste(why) => write!(f, "no taste factors: {why}"),
            Note::NoImdbRatings { min_votes } => write!(
                f,
                "no title.ratings file, so the minimum of {} votes was not applied",
                thousands(*min_votes as usize)
            ),
            Note::ImdbKept {
                kept,
                read,
                tv_movies,
                min_votes,
            } => {
                let kinds = if *tv_movies {
                    "movies and TV movies"
                } else {
                    "movies"
                };
                let votes = min_votes
                    .map(|m| format!(" with at least {} votes", thousands(m as usize)))
                    .unwrap_or_default();
                write!(
                    f,
                    "IMDb: kept {} {kinds}{votes} of {} rows",
                    thousands(*kept),
                    thousands(*read)
                )
            }
            Note::UnreadableImdbRatings(n) => write!(
                f,
                "{} rows of the ratings file could not be read",
                thousands(*n)
            ),
            Note::RowsLeftOut {
                total,
                by_kind,
                first,
            } => {
                let summary: Vec<String> = by_kind
                    .iter()
                    .map(|(kind, n)| format!("{} × {kind}", thousands(*n)))
                    .collect();
                write!(
                    f,
                    "{} rows left out: {}",
                    thousands(*total),
                    summary.join(", ")
                )?;
                match first {
                    Some(issue) => write!(f, " (first: {issue})"),
                    None => Ok(()),
                }
            }
            Note::FromModel { name, k } => write!(
                f,
                "clusters from the saved model {name} ({k} clusters; no k-means run)"
            ),
            Note::KMeans {
                seconds,
                k,
                seed,
                iterations,
                inertia,
                shards,
                workers,
                seeding,
            } => write!(
                f,
                "k-means: {seconds:.2} s (k = {k}, seed {seed}): {iterations} iterations, inertia {inertia:.1}, {} on {}; seeding {seeding:.2} s",
                counted(*shards, "shard"),
                counted(*workers, "worker"),
            ),
            Note::Unshared(why) => write!(
                f,
                "k-means could not use other workers ({why}), so it ran in one (the same clusters, slower)"
            ),
            Note::Split {
                titles,
                clusters,
                model,
            } => write!(
                f,
                "{} titles in {clusters} per-cluster files: a selection loads its cluster's file from the site; clusters from the model {model} (no k-means run; re-clustering needs every title in one tab, so Re-cluster keeps them)",
                thousands(*titles)
            ),
        }
    }
}
