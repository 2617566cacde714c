//! What can go wrong on the command line, as types: the command line
//! itself, a file that cannot be opened or written, what the core says of
//! a file, and asking for something the data does not have.

use std::path::{Path, PathBuf};

/// An error of the command line; printed as one sentence to stderr, with
/// exit code 2.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// An unknown command or flag, a missing or malformed value.
    #[error("{0}")]
    Usage(String),
    /// A file that cannot be opened, read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// What the core says of a file.
    #[error("{}: {source}", path.display())]
    In {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: reelmeans::Error,
    },
    /// What the core says, of no file in particular.
    #[error(transparent)]
    Core(reelmeans::Error),
    /// A file whose contents are not what the command reads (a matrix's
    /// cells that are not numbers, a record the CSV reader cannot read).
    #[error("{}: {why}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Where and what.
        why: String,
    },
    /// Something asked for that the data does not have (a title, a user).
    #[error("{0}")]
    NotFound(String),
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Usage(message)
    }
}

impl From<lexopt::Error> for CliError {
    fn from(e: lexopt::Error) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        CliError::Usage(message.into())
    }
}

/// Errors of the core become [`CliError::Core`].
macro_rules! from_core {
    ($($error:ty),*) => {$(
        impl From<$error> for CliError {
            fn from(e: $error) -> Self {
                CliError::Core(e.into())
            }
        }
    )*};
}

from_core!(
    reelmeans::Error,
    reelmeans::CatalogError,
    reelmeans::FeatureError,
    reelmeans::KMeansError,
    reelmeans::ModelError,
    reelmeans::TasteError,
    reelmeans::InteractionsError,
    reelmeans::TableError,
    reelmeans::NpyError
);

/// What the core says of the file at `path`.
pub(crate) fn at<E: Into<reelmeans::Error>>(path: &Path) -> impl FnOnce(E) -> CliError + '_ {
    move |e| CliError::In {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

/// A file that cannot be read.
pub(crate) fn unreadable(path: &Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
    move |source| CliError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    }
}

/// A file that cannot be written.
pub(crate) fn unwritable(path: &Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
    move |source| CliError::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    }
}
