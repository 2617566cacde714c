//! `reelmeans prepare`: the app's default catalog, with taste factors.

use crate::args::{number, path, Flags};
use crate::inputs::{join_interactions, CatalogArgs};
use reelmeans::{learn_for_catalog, TasteParams};
use std::ffi::OsString;
use std::path::PathBuf;

/// `prepare`: the app's default catalog, with taste factors.
#[derive(Default)]
pub(crate) struct Prepare {
    catalog: CatalogArgs,
    out: Option<PathBuf>,
    interactions: Option<PathBuf>,
    links: Option<PathBuf>,
    factors: Option<usize>,
    seed: Option<u64>,
}

impl Flags for Prepare {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
        match name {
            "out" => self.out = Some(path(p)?),
            "interactions" => self.interactions = Some(path(p)?),
            "links" => self.links = Some(path(p)?),
            "factors" => self.factors = Some(number(p, "factors")?),
            "seed" => self.seed = Some(number(p, "seed")?),
            _ => return self.catalog.flag(name, p),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), String> {
        self.catalog.positional(value)
    }
}

impl Prepare {
    pub(crate) fn run(self) -> Result<(), String> {
        let out = self.out.as_ref().ok_or("prepare needs --out CATALOG.csv")?;
        if self.interactions.is_none() && (self.links.is_some() || self.factors.is_some()) {
            return Err("--links and --factors go with --interactions FILE".into());
        }
        let mut catalog = self.catalog.load()?;
        if let Some(path) = &self.interactions {
            let interactions = join_interactions(path, &catalog, self.links.as_ref())?;
            let params = TasteParams {
                factors: self.factors.unwrap_or(TasteParams::default().factors),
                seed: self.seed.unwrap_or(42),
                ..TasteParams::default()
            };
            let summary =
                learn_for_catalog(&mut catalog, &interactions.records, &params, &mut |_| {})
                    .map_err(|e| e.to_string())?;
            eprintln!(
                "{} ({} interactions joined)",
                summary.describe(),
                interactions.records.len()
            );
        }
        let dims = catalog.taste_dims();
        let mut w = csv::Writer::from_writer(Vec::new());
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let id_column = match catalog.source {
            reelmeans::Source::Tmdb => "tmdb_id",
            reelmeans::Source::MovieLens => "movieId",
            reelmeans::Source::Imdb => "tconst",
            reelmeans::Source::Other => "id",
        };
        let mut head: Vec<String> = [
            id_column,
            "title",
            "year",
            "genres",
            "language",
            "runtime",
            "vote_average",
            "vote_count",
            "popularity",
        ]
        .map(String::from)
        .to_vec();
        head.extend((1..=dims).map(|i| format!("taste_{i}")));
        if dims > 0 {
            head.push("taste_borrowed".into());
        }
        w.write_record(&head).map_err(|e| e.to_string())?;
        for m in &catalog.movies {
            let mut record = vec![
                m.id.clone(),
                m.title.clone(),
                m.year.map(|y| y.to_string()).unwrap_or_default(),
                m.genres.join("|"),
                m.language.clone().unwrap_or_default(),
                opt(m.runtime),
                opt(m.rating),
                opt(m.votes),
                m.popularity.map(|p| format!("{p:.3}")).unwrap_or_default(),
            ];
            record.extend((0..dims).map(|f| m.taste.get(f).map_or(String::new(), |&x| factor(x))));
            if dims > 0 {
                record.push(if m.taste_borrowed { "1" } else { "0" }.into());
            }
            w.write_record(&record).map_err(|e| e.to_string())?;
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        std::fs::write(out, bytes).map_err(|e| e.to_string())?;
        eprintln!("wrote {} titles to {}", catalog.len(), out.display());
        Ok(())
    }
}

/// A taste factor with two decimals, without a sign on zero: a unit
/// vector of 32 moves by at most about 0.03 (cosines by about 1e-3),
/// far below what separates titles, and the shipped catalog stays small.
pub(crate) fn factor(x: f32) -> String {
    let text = format!("{x:.2}");
    if text == "-0.00" {
        "0.00".into()
    } else {
        text
    }
}
