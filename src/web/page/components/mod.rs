//! The page's components, one per file; each gets data, callbacks and the
//! workers handle (`super::workers::Workers`, compared by identity) through props.

mod chart;
mod explorer;
mod export;
mod mapping;
mod movie;
mod search;
mod status;
mod tuning;
mod upload;
mod users;

pub use chart::Chart;
pub use explorer::Explorer;
pub use export::ExportPanel;
pub use mapping::MappingTable;
pub use movie::MovieView;
pub use search::SearchBox;
pub use status::StatusBar;
pub use tuning::TuningPanel;
pub use upload::UploadPanel;
pub use users::UsersPanel;

pub use crate::web::state::{counted, thousands};
