//! What several commands read: a catalog and how to read and scale it,
//! k-means parameters, interactions, saved models, and files.

use crate::args::{number, one_input, path, text, Flags};
use crate::error::{at, unreadable, unwritable, CliError};
use reelmeans::{
    head_table, infer_roles, read_links, read_sheet, sniff, Algorithm, Catalog, CatalogError,
    ColumnRole, FeatureGroup, FeatureSpec, FileKind, ImdbFilter, InputFile, Interactions,
    KMeansParams, KeptLimit, SavedModel, Scaling, Upload,
};
use std::ffi::OsString;
use std::path::PathBuf;

/// A catalog to read, and how to read and scale it.
#[derive(Default)]
pub(crate) struct CatalogArgs {
    pub(crate) path: Option<PathBuf>,
    pub(crate) ratings: Option<PathBuf>,
    /// Which rows of IMDb's title.basics become titles.
    pub(crate) filter: ImdbFilter,
    pub(crate) roles: Vec<(String, ColumnRole)>,
    pub(crate) spec: FeatureSpec,
    /// The sheet of a workbook to read (the first with a header row when `None`).
    pub(crate) sheet: Option<String>,
    /// A flag that only makes sense with a catalog was given.
    pub(crate) any_option: bool,
}

impl Flags for CatalogArgs {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "ratings" => self.ratings = Some(path(p)?),
            "min-votes" => self.filter.min_votes = number(p, "min-votes")?,
            "tv-movies" => self.filter.tv_movies = true,
            "sheet" => self.sheet = Some(text(p)?),
            "clip-outliers" => self.spec.clip_outliers = true,
            "scaling" => {
                self.spec.scaling = match text(p)?.as_str() {
                    "minmax" => Scaling::MinMax,
                    "zscore" => Scaling::ZScore,
                    other => {
                        return Err(
                            format!("--scaling must be minmax or zscore, not '{other}'").into()
                        )
                    }
                }
            }
            "weight" => {
                let v = text(p)?;
                let (group, w) = v
                    .split_once('=')
                    .ok_or(format!("--weight expects GROUP=W, got '{v}'"))?;
                let group = FeatureGroup::ALL
                    .into_iter()
                    .find(|g| g.name() == group)
                    .ok_or(format!("unknown feature group '{group}'"))?;
                let w: f32 = w
                    .parse()
                    .map_err(|_| format!("weight '{w}' is not a number"))?;
                self.spec.weights.set(group, w);
            }
            "role" => {
                let v = text(p)?;
                let (col, role) = v
                    .split_once('=')
                    .ok_or(format!("--role expects COLUMN=ROLE, got '{v}'"))?;
                let role = ColumnRole::from_name(role).ok_or(format!("unknown role '{role}'"))?;
                self.roles.push((col.to_string(), role));
            }
            _ => return Ok(false),
        }
        self.any_option = true;
        Ok(true)
    }

    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        one_input(&mut self.path, value)
    }
}

impl CatalogArgs {
    /// Reads the catalog as the app's worker does ([`Upload`]): gzip
    /// inflated as it is read, IMDb's basics dump filtered and joined
    /// as it streams, ratings joined and taste learnt.
    pub(crate) fn load(&self) -> Result<Catalog, CliError> {
        let path = self.path.as_ref().ok_or("a CATALOG file is required")?;
        fn at(path: &std::path::Path) -> impl Fn(CatalogError) -> String + '_ {
            move |e| format!("{}: {e}", path.display())
        }
        // A workbook's sheet is read as the CSV it becomes.
        let sheet = workbook_csv(path, self.sheet.as_deref())?;
        let catalog_file = || match &sheet {
            Some(csv) => Ok(InputFile::new(
                std::io::Cursor::new(csv.clone()),
                csv.len() as u64,
            )),
            None => open(path),
        };
        let roles = if self.roles.is_empty() {
            None
        } else {
            // The head is enough to find the columns and infer their roles.
            let table = head_table(catalog_file()?, 1 << 20).map_err(at(path))?;
            let mut roles = infer_roles(&table.headers, &table.rows);
            for (col, role) in &self.roles {
                let i = table.column(col).ok_or(format!(
                    "--role: no column named '{col}' (columns: {})",
                    table.headers.join(", ")
                ))?;
                roles[i] = *role;
            }
            Some(roles)
        };
        let ratings = match &self.ratings {
            Some(r) => Some(open(r)?),
            None => None,
        };
        let loaded = Upload {
            ratings,
            roles,
            filter: self.filter,
            ..Upload::new(catalog_file()?)
        }
        .read(&mut |_| {})
        .map_err(|e| match &self.ratings {
            // Which file failed is in the words for ratings; name the catalog otherwise.
            Some(r) if matches!(e, CatalogError::UnknownRatings(_)) => at(r)(e),
            _ => at(path)(e),
        })?;
        for note in &loaded.notes {
            eprintln!("{note}");
        }
        let catalog = loaded.catalog;
        if catalog.issues.total > 0 {
            eprintln!(
                "left out {} rows: {}",
                catalog.issues.total,
                catalog.issues.summary()
            );
        }
        Ok(catalog)
    }
}

/// The CSV of a workbook's sheet (`wanted`, or the first with a header
/// row), or `None` when the file is no workbook.
pub(crate) fn workbook_csv(
    path: &PathBuf,
    wanted: Option<&str>,
) -> Result<Option<Vec<u8>>, CliError> {
    let kind = sniff(open(path)?).map_err(at(path))?;
    if kind != FileKind::Workbook {
        return match wanted {
            Some(_) => Err(format!(
                "--sheet: {} is not an .xlsx or .ods workbook",
                path.display()
            )
            .into()),
            None => Ok(None),
        };
    }
    let sheet = read_sheet(open(path)?, wanted, KeptLimit::DEFAULT).map_err(at(path))?;
    if sheet.names.len() > 1 {
        eprintln!(
            "read sheet '{}' of {} ({})",
            sheet.name,
            sheet.names.len(),
            sheet.names.join(", ")
        );
    }
    Ok(Some(sheet.csv))
}

/// A file opened for reading, with its size.
pub(crate) fn open(path: &PathBuf) -> Result<InputFile<'static>, CliError> {
    let fail = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(fail)?;
    let size = file.metadata().map_err(fail)?.len();
    Ok(InputFile::new(file, size))
}

/// k-means parameters.
#[derive(Default)]
pub(crate) struct KMeansArgs {
    pub(crate) k: Option<usize>,
    pub(crate) seed: Option<u64>,
    pub(crate) n_init: Option<usize>,
    pub(crate) max_iter: Option<usize>,
    pub(crate) tol: Option<f64>,
    pub(crate) algorithm: Option<Algorithm>,
    pub(crate) threads: Option<usize>,
}

impl KMeansArgs {
    /// Takes the k-means flags; `--k` only where the command has a k.
    pub(crate) fn flag(
        &mut self,
        name: &str,
        p: &mut lexopt::Parser,
        with_k: bool,
    ) -> Result<bool, CliError> {
        match name {
            "k" if with_k => self.k = Some(number(p, "k")?),
            "seed" => self.seed = Some(number(p, "seed")?),
            "n-init" => self.n_init = Some(number(p, "n-init")?),
            "max-iter" => self.max_iter = Some(number(p, "max-iter")?),
            "tol" => self.tol = Some(number(p, "tol")?),
            "threads" => self.threads = Some(number(p, "threads")?),
            "algorithm" => {
                self.algorithm = Some(match text(p)?.as_str() {
                    "lloyd" => Algorithm::Lloyd,
                    "hamerly" | "elkan" => Algorithm::Hamerly,
                    other => {
                        return Err(
                            format!("--algorithm must be hamerly or lloyd, not '{other}'").into(),
                        )
                    }
                })
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub(crate) fn params(&self, default_k: usize) -> KMeansParams {
        let mut p = KMeansParams::new(self.k.unwrap_or(default_k)).seed(self.seed.unwrap_or(42));
        if let Some(n) = self.n_init {
            p = p.n_init(n);
        }
        if let Some(m) = self.max_iter {
            p = p.max_iter(m);
        }
        if let Some(t) = self.tol {
            p = p.tolerance(t);
        }
        if let Some(alg) = self.algorithm {
            p = p.algorithm(alg);
        }
        // All cores unless told: the clusters are the same for any count.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        p.threads(self.threads.unwrap_or(cores))
    }
}

/// Interactions and the items they refer to.
#[derive(Default)]
pub(crate) struct InteractionArgs {
    pub(crate) path: Option<PathBuf>,
    pub(crate) catalog: Option<PathBuf>,
    pub(crate) links: Option<PathBuf>,
}

impl InteractionArgs {
    pub(crate) fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "catalog" => self.catalog = Some(path(p)?),
            "links" => self.links = Some(path(p)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The item catalog and the interactions joined to it.
    pub(crate) fn load(&self) -> Result<(Catalog, Interactions), CliError> {
        let path = self
            .path
            .as_ref()
            .ok_or("an interactions file is required")?;
        let catalog_path = self
            .catalog
            .as_ref()
            .ok_or("--catalog ITEMS.csv is required (the items the interactions refer to)")?;
        let catalog = Catalog::parse(&read(catalog_path)?).map_err(at(catalog_path))?;
        let interactions = join_interactions(path, &catalog, self.links.as_ref())?;
        Ok((catalog, interactions))
    }
}

/// A saved model (the CLI's `--model`, or the Spark job's `model.json`).
pub(crate) fn read_model(path: &PathBuf) -> Result<SavedModel, CliError> {
    let json = std::fs::read_to_string(path).map_err(unreadable(path))?;
    SavedModel::from_json(&json).map_err(at(path))
}

pub(crate) fn join_interactions(
    path: &PathBuf,
    catalog: &Catalog,
    links: Option<&PathBuf>,
) -> Result<Interactions, CliError> {
    let links = match links {
        Some(l) => Some(read_links(&read(l)?).map_err(at(l))?),
        None => None,
    };
    let interactions =
        Interactions::parse(&read(path)?, catalog, links.as_ref()).map_err(at(path))?;
    if interactions.issues.total > 0 {
        eprintln!(
            "left out {} interactions: {}",
            interactions.issues.total,
            interactions.issues.summary()
        );
    }
    Ok(interactions)
}

/// A catalog file's bytes, or a workbook's first sheet with a table as CSV.
pub(crate) fn read_catalog(path: &PathBuf) -> Result<Vec<u8>, CliError> {
    match workbook_csv(path, None)? {
        Some(csv) => Ok(csv),
        None => read(path),
    }
}

pub(crate) fn read(path: &PathBuf) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(unreadable(path))
}

pub(crate) fn write(path: &PathBuf, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(unwritable(path))
}

pub(crate) fn print_summary(json: bool, summary: &serde_json::Value) {
    if json {
        println!("{summary}");
    } else if let Some(map) = summary.as_object() {
        for (key, value) in map {
            println!("{key}: {value}");
        }
    }
}
