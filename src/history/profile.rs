//! How much each matched title says about a person's taste.
//!
//! - A rating is read on its service's scale, then taken relative to the
//!   person's own ratings: `(rating − their mean) / their spread`, plus a
//!   small positive for having chosen to watch it at all. A generous rater's
//!   3 of 5 is a bad mark; a harsh rater's is not.
//! - Watched without a rating is a mild positive; a like adds one.
//! - Recent rows count more: half as much again for a row from today as for
//!   one from long ago, halving over a year, counted from the history's
//!   newest row (an export is read long after it was made).
//! - A watchlist is not taste: it is a list to rank ([`super::watchlist_first`]).
//!
//! A title on several rows (a diary's rewatches, a rating and a like) takes
//! its newest rating, and its like.

use super::{Entry, History, Outcome, Shelf};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// What watching a title says before any rating: a mild positive.
pub const WATCHED: f32 = 0.4;
/// What a like adds.
pub const LIKED: f32 = 1.0;
/// Days over which the recency bonus halves.
pub const HALF_LIFE_DAYS: f32 = 365.0;

/// A person's taste, as weights on catalog titles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// (catalog index, weight): positive for taste, negative for dislikes;
    /// sorted by index.
    pub weights: Vec<(usize, f32)>,
    /// How the person showed each title with a positive weight: rated it
    /// highly, liked it or watched it (for reasons), by index.
    pub how: BTreeMap<usize, Shelf>,
    /// Titles seen (rated, watched or liked): never recommended.
    pub seen: HashSet<usize>,
    /// The watchlist's titles, in the export's order.
    pub watchlist: Vec<usize>,
}

/// One title's rows, merged.
#[derive(Default)]
struct Title {
    rating: Option<(Option<i32>, f32)>,
    watched: bool,
    liked: bool,
    listed: bool,
    day: Option<i32>,
}

impl Profile {
    /// The profile of a matched history; `liked` are titles liked in the app
    /// (its marks), which count as Letterboxd's likes do.
    pub fn new(history: &History, outcomes: &[Outcome], liked: &[usize]) -> Profile {
        let mut titles: BTreeMap<usize, Title> = BTreeMap::new();
        let mut watchlist = Vec::new();
        for (entry, outcome) in history.entries.iter().zip(outcomes) {
            let Outcome::Matched(index) = *outcome else {
                continue;
            };
            let title = titles.entry(index).or_default();
            merge(title, entry);
            if entry.shelf == Shelf::Watchlist && !watchlist.contains(&index) {
                watchlist.push(index);
            }
        }
        for &index in liked {
            titles.entry(index).or_default().liked = true;
        }
        let ratings: Vec<f32> = titles
            .values()
            .filter_map(|t| t.rating.map(|r| r.1))
            .collect();
        let mean = ratings.iter().sum::<f32>() / ratings.len().max(1) as f32;
        let spread = (ratings.iter().map(|r| (r - mean).powi(2)).sum::<f32>()
            / ratings.len().max(1) as f32)
            .sqrt()
            .max(0.1);
        let newest = titles.values().filter_map(|t| t.day).max();
        let mut profile = Profile::default();
        for (&index, t) in &titles {
            if !(t.rating.is_some() || t.watched || t.liked) {
                continue; // only on the watchlist
            }
            profile.seen.insert(index);
            let mut weight = match t.rating {
                Some((_, r)) => WATCHED + ((r - mean) / spread).clamp(-2.5, 2.5),
                None if t.watched => WATCHED,
                None => 0.0,
            };
            if t.liked {
                weight += LIKED;
            }
            let recency = match (t.day, newest) {
                (Some(day), Some(newest)) => {
                    1.0 + 0.5 * 0.5f32.powf((newest - day).max(0) as f32 / HALF_LIFE_DAYS)
                }
                _ => 1.0,
            };
            weight *= recency;
            if weight.abs() > 1e-6 {
                profile.weights.push((index, weight));
            }
            if weight > 0.0 {
                let how = if t.liked {
                    Shelf::Liked
                } else if t.rating.is_some() {
                    Shelf::Rated
                } else {
                    Shelf::Watched
                };
                profile.how.insert(index, how);
            }
        }
        profile.watchlist = watchlist
            .into_iter()
            .filter(|i| !profile.seen.contains(i))
            .collect();
        profile
    }

    /// Whether the profile says anything about taste.
    pub fn is_empty(&self) -> bool {
        !self.weights.iter().any(|&(_, w)| w > 0.0)
    }
}

fn merge(title: &mut Title, entry: &Entry) {
    match entry.shelf {
        Shelf::Watchlist => title.listed = true,
        Shelf::Liked => title.liked = true,
        Shelf::Watched => title.watched = true,
        Shelf::Rated => title.watched = true,
    }
    if let Some(r) = entry.rating {
        // The newest rating wins (undated rows count as oldest).
        if title.rating.is_none_or(|(day, _)| entry.day >= day) {
            title.rating = Some((entry.day, r));
        }
    }
    if entry.shelf != Shelf::Watchlist {
        title.day = title.day.max(entry.day);
    }
}
