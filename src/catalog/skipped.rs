//! Why a catalog's or an interaction file's rows were left out: the
//! table reader's reasons, and those of the readers above it (an IMDb
//! title of another type, an adult title, too few votes, a missing title,
//! a repeated id, an interaction without a user).

use crate::table::{Reason, RowError, RowErrorKind, RowReport};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The rows a catalog or an interaction file left out.
pub type Skipped = RowReport<SkipReason>;

/// Why a row was left out, with what this instance needs for its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// The table reader could not use the row.
    Row(RowError),
    /// An IMDb title of another type (a series, an episode, ...).
    NotAMovie(String),
    /// An adult title.
    AdultTitle,
    /// Fewer votes than the minimum asked for.
    TooFewVotes {
        /// The title's votes.
        votes: u32,
        /// The minimum.
        min: u32,
    },
    /// No entry in the ratings file, and a minimum of votes was asked for.
    Unrated,
    /// The title cell is empty.
    NoTitle,
    /// The id appeared on an earlier row.
    DuplicateId(String),
    /// An interaction without a user or an item.
    MissingUserOrItem,
    /// An interaction without a rating or progress.
    MissingStrength,
    /// An interaction whose rating or progress is not a number.
    UnreadableStrength(String),
    /// An interaction with an item the catalog does not have.
    UnknownItem(String),
}

/// The kinds of [`SkipReason`], counted in a [`Skipped`] report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SkipKind {
    /// [`RowError::Unreadable`].
    Unreadable,
    /// [`RowError::WrongFieldCount`].
    WrongFieldCount,
    /// [`SkipReason::NotAMovie`].
    NotAMovie,
    /// [`SkipReason::AdultTitle`].
    AdultTitle,
    /// [`SkipReason::TooFewVotes`].
    TooFewVotes,
    /// [`SkipReason::Unrated`].
    Unrated,
    /// [`SkipReason::NoTitle`].
    NoTitle,
    /// [`SkipReason::DuplicateId`].
    DuplicateId,
    /// [`SkipReason::MissingUserOrItem`].
    MissingUserOrItem,
    /// [`SkipReason::MissingStrength`].
    MissingStrength,
    /// [`SkipReason::UnreadableStrength`].
    UnreadableStrength,
    /// [`SkipReason::UnknownItem`].
    UnknownItem,
}

impl Reason for SkipReason {
    type Kind = SkipKind;
    fn kind(&self) -> SkipKind {
        match self {
            SkipReason::Row(e) => e.kind().into(),
            SkipReason::NotAMovie(_) => SkipKind::NotAMovie,
            SkipReason::AdultTitle => SkipKind::AdultTitle,
            SkipReason::TooFewVotes { .. } => SkipKind::TooFewVotes,
            SkipReason::Unrated => SkipKind::Unrated,
            SkipReason::NoTitle => SkipKind::NoTitle,
            SkipReason::DuplicateId(_) => SkipKind::DuplicateId,
            SkipReason::MissingUserOrItem => SkipKind::MissingUserOrItem,
            SkipReason::MissingStrength => SkipKind::MissingStrength,
            SkipReason::UnreadableStrength(_) => SkipKind::UnreadableStrength,
            SkipReason::UnknownItem(_) => SkipKind::UnknownItem,
        }
    }
}

impl From<RowError> for SkipReason {
    fn from(e: RowError) -> Self {
        SkipReason::Row(e)
    }
}

impl From<RowErrorKind> for SkipKind {
    fn from(kind: RowErrorKind) -> Self {
        match kind {
            RowErrorKind::Unreadable => SkipKind::Unreadable,
            RowErrorKind::WrongFieldCount => SkipKind::WrongFieldCount,
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Row(e) => write!(f, "{e}"),
            SkipReason::NotAMovie(kind) => write!(f, "title type is {kind}"),
            SkipReason::AdultTitle => write!(f, "adult title left out"),
            SkipReason::TooFewVotes { votes, min } => {
                write!(f, "{votes} votes, fewer than the minimum of {min}")
            }
            SkipReason::Unrated => write!(f, "not in the ratings file, so no votes"),
            SkipReason::NoTitle => write!(f, "the title is empty"),
            SkipReason::DuplicateId(id) => {
                write!(f, "id {id} appeared before; the first one is kept")
            }
            SkipReason::MissingUserOrItem => write!(f, "the user or item is empty"),
            SkipReason::MissingStrength => write!(f, "no rating or progress"),
            SkipReason::UnreadableStrength(raw) => write!(f, "'{raw}' is not a number"),
            SkipReason::UnknownItem(item) => write!(f, "item {item} is not in the catalog"),
        }
    }
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipKind::Unreadable => "unreadable row",
            SkipKind::WrongFieldCount => "wrong number of fields",
            SkipKind::NotAMovie => "not a movie",
            SkipKind::AdultTitle => "adult title",
            SkipKind::TooFewVotes => "fewer votes than the minimum",
            SkipKind::Unrated => "no rating",
            SkipKind::NoTitle => "no title",
            SkipKind::DuplicateId => "duplicate id",
            SkipKind::MissingUserOrItem => "missing user or item",
            SkipKind::MissingStrength => "missing strength",
            SkipKind::UnreadableStrength => "unreadable strength",
            SkipKind::UnknownItem => "item not in the catalog",
        })
    }
}
