//! `reelmeans prepare`: the app's default catalog, with taste factors.

use crate::args::{number, path, Flags};
use crate::error::{at, CliError};
use crate::inputs::{join_interactions, read, write, CatalogArgs};
use reelmeans::{learn_for_catalog, prepared_csv, read_imdb_links, Source, TasteParams};
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
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
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
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        self.catalog.positional(value)
    }
}

impl Prepare {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let out = self.out.as_ref().ok_or("prepare needs --out CATALOG.csv")?;
        if self.interactions.is_none() && (self.links.is_some() || self.factors.is_some()) {
            return Err("--links and --factors go with --interactions FILE".into());
        }
        let mut catalog = self.catalog.load()?;
        // IMDb ids beside TMDB's, wherever MovieLens' links know them.
        if let Some(links) = self
            .links
            .as_ref()
            .filter(|_| catalog.source == Source::Tmdb)
        {
            let imdb = read_imdb_links(&read(links)?).map_err(at(links))?;
            for movie in catalog.movies_mut() {
                movie.imdb = imdb.get(&movie.id).cloned();
            }
        }
        if let Some(path) = &self.interactions {
            let interactions = join_interactions(path, &catalog, self.links.as_ref())?;
            let params = TasteParams {
                factors: self.factors.unwrap_or(TasteParams::default().factors),
                seed: self.seed.unwrap_or(42),
                ..TasteParams::default()
            };
            let summary =
                learn_for_catalog(&mut catalog, &interactions.records, &params, &mut |_| {})?;
            eprintln!(
                "{} ({} interactions joined)",
                reelmeans::Note::Taste(summary),
                interactions.records.len()
            );
        }
        write(out, &prepared_csv(&catalog))?;
        eprintln!("wrote {} titles to {}", catalog.len(), out.display());
        Ok(())
    }
}
