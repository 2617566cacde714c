//! `reelmeans recommend`: titles like one, as the app recommends them.

use crate::args::{number, text, Flags};
use crate::error::CliError;
use crate::inputs::{CatalogArgs, KMeansArgs};
use reelmeans::{ClusteredCatalog, Recommender, TitleIndex};
use std::collections::HashSet;
use std::ffi::OsString;

/// `recommend`: titles from a title's cluster.
#[derive(Default)]
pub(crate) struct Recommend {
    catalog: CatalogArgs,
    kmeans: KMeansArgs,
    title: Option<String>,
    history: Option<std::path::PathBuf>,
    filters: reelmeans::Filters,
    n: usize,
    json: bool,
}

impl Recommend {
    /// The command with its defaults: ten titles.
    pub(crate) fn new() -> Self {
        Recommend {
            n: 10,
            ..Recommend::default()
        }
    }
}

impl Flags for Recommend {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "title" => self.title = Some(text(p)?),
            "history" => self.history = Some(crate::args::path(p)?),
            "exclude-genre" => self.filters.exclude_genres.push(text(p)?),
            "years" => {
                let years = text(p)?;
                let (from, to) = years
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
                    .ok_or_else(|| format!("--years takes FROM-TO, as 1990-1999, not '{years}'"))?;
                self.filters.from_year = Some(from);
                self.filters.to_year = Some(to);
            }
            "max-runtime" => {
                self.filters.max_runtime = Some(number::<u32>(p, "max-runtime")?.into())
            }
            "n" => self.n = number(p, "n")?,
            "json" => self.json = true,
            _ => return Ok(self.kmeans.flag(name, p, true)? || self.catalog.flag(name, p)?),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        self.catalog.positional(value)
    }
}

impl Recommend {
    pub(crate) fn run(self) -> Result<(), CliError> {
        if self.history.is_some() {
            return self.for_you();
        }
        let title = self
            .title
            .as_ref()
            .ok_or("recommend needs --title TITLE or --history FILE")?;
        let catalog = self.catalog.load()?;
        let k = self
            .kmeans
            .k
            .unwrap_or_else(|| reelmeans::default_k(catalog.len()));
        let data = ClusteredCatalog::build(
            catalog,
            &self.catalog.spec,
            &self.kmeans.params(k),
            &mut |_| {},
        )?;
        let index = TitleIndex::new(data.catalog().movies());
        let hits = index.search(title, 5);
        let Some(hit) = hits.first() else {
            return Err(CliError::NotFound(format!("no title matches '{title}'")));
        };
        let movies = data.catalog().movies();
        if hit.kind == reelmeans::MatchKind::Fuzzy {
            eprintln!(
                "no exact match for '{title}'; did you mean '{}'?",
                movies[hit.index].title
            );
        }
        let recs = Recommender::new(&data).similar_to(hit.index, self.n, &HashSet::new());
        let chosen = &movies[hit.index];
        if self.json {
            let list: Vec<_> = recs
                .iter()
                .map(|r| serde_json::json!({
                    "id": movies[r.index].id, "title": movies[r.index].title, "year": movies[r.index].year,
                    "cluster": data.cluster_of(r.index), "distance": r.distance, "reason": r.reason.to_string(),
                }))
                .collect();
            println!(
                "{}",
                serde_json::json!({
                    "title": chosen.title, "id": chosen.id, "cluster": data.cluster_of(hit.index), "k": k,
                    "recommendations": list,
                })
            );
        } else {
            let year = chosen.year.map(|y| format!(" ({y})")).unwrap_or_default();
            println!(
                "{}{year} — cluster {} of {k}",
                chosen.title,
                data.cluster_of(hit.index)
            );
            for (i, r) in recs.iter().enumerate() {
                let m = &movies[r.index];
                let year = m.year.map(|y| format!(" ({y})")).unwrap_or_default();
                println!(
                    "{:>3}. {}{year}  [{:.3}]  {}",
                    i + 1,
                    m.title,
                    r.distance,
                    r.reason
                );
            }
        }
        Ok(())
    }
}

impl Recommend {
    /// `--history FILE`: the whole catalog ranked for a person's export.
    fn for_you(self) -> Result<(), CliError> {
        let path = self
            .history
            .as_ref()
            .ok_or("recommend needs --history FILE")?;
        let bytes = crate::inputs::read(path)?;
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let history = reelmeans::read_history(&name, &bytes).map_err(|e| e.to_string())?;
        let catalog = self.catalog.load()?;
        let k = self
            .kmeans
            .k
            .unwrap_or_else(|| reelmeans::default_k(catalog.len()));
        let data = ClusteredCatalog::build(
            catalog,
            &self.catalog.spec,
            &self.kmeans.params(k),
            &mut |_| {},
        )?;
        let matched = reelmeans::match_history(data.catalog(), &history, &[]);
        let profile = reelmeans::Profile::new(&history, &matched.outcomes, &[]);
        let list = reelmeans::for_you(&data, &profile, &self.filters, &HashSet::new(), self.n);
        let movies = data.catalog().movies();
        if self.json {
            let rows: Vec<_> = history
                .entries
                .iter()
                .zip(&matched.outcomes)
                .map(|(e, o)| {
                    let id = match o {
                        reelmeans::Outcome::Matched(i) => Some(movies[*i].id.as_str()),
                        _ => None,
                    };
                    serde_json::json!({"title": e.title, "year": e.year, "match": id})
                })
                .collect();
            let recs: Vec<_> = list
                .iter()
                .map(|s| {
                    let m = &movies[s.index];
                    serde_json::json!({"id": m.id, "title": m.title, "year": m.year, "reason": s.reason.to_string()})
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({"history": rows, "recommendations": recs})
            );
        } else {
            eprintln!("{} export: {}", history.format.name(), matched.report);
            for (i, s) in list.iter().enumerate() {
                let m = &movies[s.index];
                let year = m.year.map(|y| format!(" ({y})")).unwrap_or_default();
                println!("{:>3}. {}{year}  {}", i + 1, m.title, s.reason);
            }
        }
        Ok(())
    }
}
