//! [`Error`]: any error of the core, one variant per layer.

use crate::catalog::CatalogError;
use crate::features::FeatureError;
use crate::interactions::InteractionsError;
use crate::kmeans::KMeansError;
use crate::model::ModelError;
use crate::npy::NpyError;
use crate::table::TableError;
use crate::taste::TasteError;

/// Any error of the core, with a message a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalog file.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The feature settings or data.
    #[error(transparent)]
    Features(#[from] FeatureError),
    /// The clustering parameters.
    #[error(transparent)]
    KMeans(#[from] KMeansError),
    /// A saved model.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Learning taste factors.
    #[error(transparent)]
    Taste(#[from] TasteError),
    /// An interactions file.
    #[error(transparent)]
    Interactions(#[from] InteractionsError),
    /// A `.npy` matrix.
    #[error(transparent)]
    Npy(#[from] NpyError),
}

impl From<TableError> for Error {
    fn from(e: TableError) -> Self {
        Error::Catalog(e.into())
    }
}
