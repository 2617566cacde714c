//! Progress of long work, as one type from the core to the page.
//!
//! Every step that can take a noticeable moment at a million titles (the
//! reader, the feature fit and encoding, taste, k-means, the projection, the
//! title index, the cluster descriptions) reports a [`Stage`] value through
//! a `&mut dyn FnMut(Stage)`. The worker sends the values as they are; the
//! page turns them into words and a progress bar, in one place
//! ([`Stage::describe`], [`Stage::fraction`]). The k-means module keeps its
//! own report (`kmeans::FitProgress`), as an algorithm that knows nothing of
//! catalogs; the pipeline maps it to [`Stage::Seeding`] and
//! [`Stage::Clustering`]. What happens before a worker reports (a download,
//! a worker starting) is the page's own (`web::state::Phase`).

use serde::{Deserialize, Serialize};

/// The stage a long computation is in; shares are 0..1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    /// Reading a file's text (inflating it, when gzip); the share of its bytes read.
    Reading(f32),
    /// Reading the companion ratings file; the share of its bytes read.
    ReadingRatings(f32),
    /// Reading IMDb's title.basics dump, keeping the rows that pass the filter.
    Filtering {
        /// Bytes of the file (compressed, for gzip) read.
        bytes: u64,
        /// The file's size in bytes.
        total: u64,
        /// Rows read.
        rows: u64,
        /// Titles kept.
        kept: u32,
    },
    /// Reading the file into a catalog; the share of its bytes read.
    Parsing(f32),
    /// Learning taste factors from who interacted with each title.
    Taste(f32),
    /// Fitting the feature pipeline (counts, quantiles, scales); the share of columns.
    Scaling(f32),
    /// Encoding every movie as a row of features.
    Encoding(f32),
    /// k-means++ seeding; the share of centres placed.
    Seeding(f32),
    /// k-means iterations; the iteration number.
    Clustering(usize),
    /// PCA for the scatter plot.
    Projecting,
    /// Folding titles for the search index.
    FoldingTitles(f32),
    /// Sorting the folded titles and their keys; the share done.
    SortingTitles(f32),
    /// The id lookup.
    IndexingIds,
    /// Describing each cluster (sizes, top genres, medians).
    Describing(f32),
}

impl Stage {
    /// Words for a status line.
    pub fn describe(&self) -> String {
        let percent = |share: &f32| format!("{:.0}%", share * 100.0);
        match self {
            Stage::Reading(share) => format!("reading the file ({})", percent(share)),
            Stage::ReadingRatings(share) => {
                format!("reading the ratings file ({})", percent(share))
            }
            Stage::Filtering {
                bytes,
                total,
                rows,
                kept,
            } => format!(
                "reading IMDb titles: {} of {} MB ({}), {} rows read, {} kept",
                bytes >> 20,
                total >> 20,
                percent(&self.share_read().unwrap_or(0.0)),
                crate::text::thousands(*rows as usize),
                crate::text::thousands(*kept as usize)
            ),
            Stage::Parsing(share) => format!("parsing the catalog ({})", percent(share)),
            Stage::Taste(share) => {
                format!("learning taste from who rated what ({})", percent(share))
            }
            Stage::Scaling(share) => format!("scaling features ({})", percent(share)),
            Stage::Encoding(share) => format!("encoding features ({})", percent(share)),
            Stage::Seeding(share) => format!("clustering: seeding k-means++ ({})", percent(share)),
            Stage::Clustering(it) => format!("clustering: iteration {it}"),
            Stage::Projecting => "projecting for the scatter plot".into(),
            Stage::FoldingTitles(share) => {
                format!("indexing titles for search: folding ({})", percent(share))
            }
            Stage::SortingTitles(share) => {
                format!("indexing titles for search: sorting ({})", percent(share))
            }
            Stage::IndexingIds => "indexing ids".into(),
            Stage::Describing(share) => format!("describing the clusters ({})", percent(share)),
        }
    }

    /// How far the whole build is, for a progress bar (`None`: unknown).
    /// Reading takes the first 30% (a ratings file, read first, 5%; then a
    /// plain file's text 5% and its parsing 20%, or IMDb's filtered read
    /// 25%), seeding the next 40%, iterations up to 89%; indexing and describing move the bar through the last tenth, as
    /// their words say, never back and never to the end before `ready`.
    pub fn fraction(&self) -> Option<f32> {
        match *self {
            Stage::ReadingRatings(share) => Some(share * 0.05),
            Stage::Reading(share) => Some(0.05 + share * 0.05),
            Stage::Filtering { .. } => Some(0.05 + self.share_read().unwrap_or(0.0) * 0.25),
            Stage::Parsing(share) => Some(0.1 + share * 0.2),
            Stage::Taste(_) => Some(0.3),
            Stage::Seeding(share) => Some(0.3 + share * 0.4),
            Stage::Clustering(it) => Some(0.7 + 0.2 * (it as f32 / 30.0).min(0.95)),
            Stage::FoldingTitles(share) => Some(0.9 + 0.03 * share),
            Stage::SortingTitles(share) => Some(0.93 + 0.03 * share),
            Stage::IndexingIds => Some(0.96),
            Stage::Describing(share) => Some(0.96 + 0.03 * share),
            Stage::Scaling(_) | Stage::Encoding(_) | Stage::Projecting => None,
        }
    }

    /// The share of a file read, for the steps that read one by its bytes.
    fn share_read(&self) -> Option<f32> {
        match *self {
            Stage::Filtering { bytes, total, .. } => {
                Some((bytes as f64 / total.max(1) as f64).min(1.0) as f32)
            }
            _ => None,
        }
    }

    /// Whether two reports are of the same step (a throttle may drop the
    /// second; a new step is always shown).
    pub fn same_step(&self, other: &Stage) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_compare_by_kind_and_the_bar_only_moves_forward_through_a_build() {
        assert!(Stage::Parsing(0.1).same_step(&Stage::Parsing(0.9)));
        assert!(!Stage::Parsing(1.0).same_step(&Stage::Taste(0.0)));
        let build = [
            Stage::Parsing(0.0),
            Stage::Parsing(1.0),
            Stage::Taste(0.5),
            Stage::Seeding(0.0),
            Stage::Seeding(1.0),
            Stage::Clustering(1),
            Stage::Clustering(300),
            Stage::FoldingTitles(0.0),
            Stage::FoldingTitles(1.0),
            Stage::SortingTitles(0.0),
            Stage::SortingTitles(1.0),
            Stage::IndexingIds,
            Stage::Describing(0.0),
            Stage::Describing(1.0),
        ];
        let bar: Vec<f32> = build.iter().filter_map(Stage::fraction).collect();
        assert!(bar.windows(2).all(|w| w[0] <= w[1]), "{bar:?}");
        let filtering = |bytes| Stage::Filtering {
            bytes,
            total: 160 << 20,
            rows: 0,
            kept: 0,
        };
        for reading in [
            [
                Stage::Reading(0.0),
                Stage::Reading(1.0),
                Stage::Parsing(0.0),
            ],
            [filtering(0), filtering(80 << 20), filtering(160 << 20)],
        ] {
            let read: Vec<f32> = [Stage::ReadingRatings(0.0), Stage::ReadingRatings(1.0)]
                .iter()
                .chain(&reading)
                .chain(&build[2..])
                .filter_map(Stage::fraction)
                .collect();
            assert!(read.windows(2).all(|w| w[0] <= w[1]), "{read:?}");
        }
        assert!(bar.iter().all(|f| (0.0..1.0).contains(f)));
        // "describing the clusters (0%)" is not shown on an almost full bar.
        assert!(Stage::Describing(0.0).fraction() < Stage::Describing(1.0).fraction());
        assert_eq!(Stage::Parsing(0.25).describe(), "parsing the catalog (25%)");
        let imdb = Stage::Filtering {
            bytes: 67 << 20,
            total: 160 << 20,
            rows: 4_600_000,
            kept: 15_768,
        };
        assert_eq!(
            imdb.describe(),
            "reading IMDb titles: 67 of 160 MB (42%), 4,600,000 rows read, 15,768 kept"
        );
        assert_eq!(Stage::Clustering(7).describe(), "clustering: iteration 7");
    }
}
