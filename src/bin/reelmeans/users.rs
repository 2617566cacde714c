//! `reelmeans users`: the course recommender for one user.

use crate::args::{number, one_input, text, Flags};
use crate::error::CliError;
use crate::inputs::InteractionArgs;
use reelmeans::{KMeansParams, UserClusters, UserFeatures};
use std::ffi::OsString;

/// `users`: the course recommender for one user.
#[derive(Default)]
pub(crate) struct Users {
    data: InteractionArgs,
    user: Option<String>,
    binary: bool,
    user_k: Option<usize>,
    seed: Option<u64>,
    n: usize,
    json: bool,
}

impl Users {
    /// The command with its defaults: ten titles.
    pub(crate) fn new() -> Self {
        Users {
            n: 10,
            ..Users::default()
        }
    }
}

impl Flags for Users {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "user" => self.user = Some(text(p)?),
            "features" => {
                self.binary = match text(p)?.as_str() {
                    "means" => false,
                    "binary" => true,
                    other => {
                        return Err(
                            format!("--features must be means or binary, not '{other}'").into()
                        )
                    }
                }
            }
            "user-k" => self.user_k = Some(number(p, "user-k")?),
            "seed" => self.seed = Some(number(p, "seed")?),
            "n" => self.n = number(p, "n")?,
            "json" => self.json = true,
            _ => return self.data.flag(name, p),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        one_input(&mut self.data.path, value)
    }
}

impl Users {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let (catalog, interactions) = self.data.load()?;
        let user = self.user.as_ref().ok_or("users needs --user ID")?;
        let index = interactions
            .users
            .iter()
            .position(|u| u == user)
            .ok_or_else(|| CliError::NotFound(format!("no user '{user}' in the interactions")))?;
        let features = if self.binary {
            UserFeatures::Binary
        } else {
            UserFeatures::CategoryMeans
        };
        let params = KMeansParams::new(self.user_k.unwrap_or(4))
            .seed(self.seed.unwrap_or(42))
            .n_init(3);
        let clusters = UserClusters::fit(
            &interactions,
            &interactions.records,
            &catalog,
            features,
            &params,
        )?;
        let cluster = clusters.model.labels()[index] as usize;
        let recs = clusters.recommend(index, self.n);
        let profile = clusters.profile(cluster, 3);
        if self.json {
            let list: Vec<_> = recs
                .iter()
                .map(|&(item, peers)| {
                    let m = &catalog.movies()[item as usize];
                    serde_json::json!({ "id": m.id, "title": m.title, "peers": peers })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({ "user": user, "cluster": cluster, "profile": profile, "recommendations": list })
            );
        } else {
            let names: Vec<String> = profile.iter().map(|(f, v)| format!("{f} {v:.2}")).collect();
            println!(
                "user {user} — cluster {cluster} of {}; the cluster's favourites: {}",
                clusters.model.k(),
                names.join(", ")
            );
            for (i, (item, peers)) in recs.iter().enumerate() {
                println!(
                    "{:>3}. {}  ({peers} peers engaged strongly)",
                    i + 1,
                    catalog.movies()[*item as usize].title
                );
            }
        }
        Ok(())
    }
}
