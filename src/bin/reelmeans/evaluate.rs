//! `reelmeans evaluate` (offline evaluation) and `reelmeans kept` (the part it learns from).

use crate::args::{number, one_input, path, text, Flags};
use crate::error::CliError;
use crate::inputs::{read_model, write, InteractionArgs};
use reelmeans::{EvalSettings, Ranking};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

/// `evaluate`: every recommender on held-out interactions.
#[derive(Default)]
pub(crate) struct Evaluate {
    data: InteractionArgs,
    user_k: Option<usize>,
    item_k: Option<usize>,
    seed: Option<u64>,
    seeds: Option<usize>,
    taste_weight: Option<f32>,
    factors: Option<usize>,
    ranking: Option<Ranking>,
    prepared: Option<PathBuf>,
    json: bool,
}

impl Flags for Evaluate {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "user-k" => self.user_k = Some(number(p, "user-k")?),
            "item-k" => self.item_k = Some(number(p, "item-k")?),
            "seed" => self.seed = Some(number(p, "seed")?),
            "seeds" => self.seeds = Some(number(p, "seeds")?),
            "taste-weight" => self.taste_weight = Some(number(p, "taste-weight")?),
            "factors" => self.factors = Some(number(p, "factors")?),
            "ranking" => {
                let v = text(p)?;
                self.ranking = Some(match v.split_once('=') {
                    None if v == "nearest" => Ranking::Nearest,
                    Some(("blend", b)) => Ranking::Blend {
                        popularity: b
                            .parse()
                            .map_err(|_| format!("--ranking blend=B: '{b}' is not a number"))?,
                    },
                    _ => {
                        return Err(
                            format!("--ranking must be nearest or blend=B, not '{v}'").into()
                        )
                    }
                });
            }
            "prepared" => self.prepared = Some(path(p)?),
            "json" => self.json = true,
            _ => return self.data.flag(name, p),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        one_input(&mut self.data.path, value)
    }
}

impl Evaluate {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let (catalog, interactions) = self.data.load()?;
        let defaults = EvalSettings::default();
        let settings = EvalSettings {
            user_k: self.user_k.unwrap_or(defaults.user_k),
            item_k: self.item_k.unwrap_or(defaults.item_k),
            seed: self.seed.unwrap_or(defaults.seed),
            taste_weight: self.taste_weight.unwrap_or(defaults.taste_weight),
            factors: self.factors.unwrap_or(defaults.factors),
            ranking: self.ranking.unwrap_or(defaults.ranking),
            prepared: self.prepared.as_ref().map(read_model).transpose()?,
        };
        let seeds: Vec<u64> = (0..self.seeds.unwrap_or(5).max(1) as u64)
            .map(|i| settings.seed + i)
            .collect();
        let start = Instant::now();
        let summaries = reelmeans::evaluate_seeds(&catalog, &interactions, &settings, &seeds)?;
        if self.json {
            println!(
                "{}",
                serde_json::json!({
                    "users": interactions.users.len(), "interactions": interactions.records.len(),
                    "settings": settings, "seeds": seeds, "seconds": start.elapsed().as_secs_f64(),
                    "recommenders": summaries.iter().map(|s| s.to_json()).collect::<Vec<_>>(),
                })
            );
        } else {
            println!(
                "{} users, {} interactions on {} items; scored users: {}; newest 10% held out; K = 5, 10, 25; mean ± std over seeds {:?}",
                interactions.users.len(),
                interactions.records.len(),
                catalog.len(),
                summaries.first().map_or(0, |s| s.users),
                seeds
            );
            print!("{}", reelmeans::summary_table(&summaries));
        }
        Ok(())
    }
}

/// `kept`: the evaluation's kept interactions, for a catalog prepared elsewhere.
#[derive(Default)]
pub(crate) struct Kept {
    data: InteractionArgs,
    out: Option<PathBuf>,
}

impl Flags for Kept {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "out" => self.out = Some(path(p)?),
            _ => return self.data.flag(name, p),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        one_input(&mut self.data.path, value)
    }
}

impl Kept {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let out = self.out.as_ref().ok_or("kept needs --out KEPT.csv")?;
        let (catalog, interactions) = self.data.load()?;
        let csv = reelmeans::kept_csv(&catalog, &interactions);
        write(out, &csv)?;
        eprintln!(
            "wrote {} kept interactions of {} users to {} (each user's newest 10% held out)",
            csv.lines().count().saturating_sub(1),
            interactions.users.len(),
            out.display()
        );
        Ok(())
    }
}
