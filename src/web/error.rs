//! What can go wrong in the browser layer, as types; put into words
//! (one sentence for the user) only when it reaches the page.

use crate::split::SplitError;

/// An error of the page or a worker.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// What the core says of a file, named as the user knows it.
    #[error("{name}: {source}")]
    In {
        /// The file's name or URL.
        name: String,
        /// What is wrong with it.
        #[source]
        source: crate::Error,
    },
    /// What the core says, of no file in particular.
    #[error(transparent)]
    Core(#[from] crate::Error),
    /// A catalog split into per-cluster files that cannot be used.
    #[error("{name}: {source}")]
    Split {
        /// Its title list or cluster file.
        name: String,
        /// Why.
        #[source]
        source: SplitError,
    },
    /// What the user asked cannot be done, and why (two catalogs in one
    /// upload, no workbook open, an export of a catalog split on the site).
    #[error("{0}")]
    Refused(String),
    /// A file of the site itself that cannot be fetched.
    #[error("{url}: {why}")]
    Site {
        /// Its address.
        url: String,
        /// Why.
        why: String,
    },
    /// A message between the page and a worker that cannot be encoded or read.
    #[error("{0}")]
    Message(String),
    /// k-means on shard workers stopped (a worker stopped answering, or
    /// answered out of turn).
    #[error("{0}")]
    Shards(String),
    /// The browser refused (a worker that cannot start or be reached, a
    /// file that cannot be read or saved); its own words.
    #[error("{0}")]
    Browser(String),
}

/// What the core says of the file `name`.
pub fn within<E: Into<crate::Error>>(name: impl Into<String>) -> impl FnOnce(E) -> WebError {
    move |e| WebError::In {
        name: name.into(),
        source: e.into(),
    }
}

/// Errors of the core become [`WebError::Core`].
macro_rules! from_core {
    ($($error:ty),*) => {$(
        impl From<$error> for WebError {
            fn from(e: $error) -> Self {
                WebError::Core(e.into())
            }
        }
    )*};
}

from_core!(
    crate::catalog::CatalogError,
    crate::model::ModelError,
    crate::kmeans::KMeansError,
    crate::features::FeatureError
);

impl From<&str> for WebError {
    fn from(message: &str) -> Self {
        WebError::Refused(message.into())
    }
}
