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

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
