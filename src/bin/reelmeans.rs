//! `reelmeans`: the recommender core on the command line, for batch work and benchmarks.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = cli::run(std::env::args_os().skip(1).collect()) {
        eprintln!("reelmeans: {message}");
        std::process::exit(2);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

/// One struct per command, each parsing only the flags it takes (as
/// ripgrep's flags do): a flag a command does not use is an error, never
/// silently ignored.
#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use lexopt::prelude::*;
    use ndarray::Array2;
    use reelmeans::catalog::formats::read_columns;
    use reelmeans::catalog::json::{is_json, json_to_csv};
    use reelmeans::catalog::sheet::is_workbook;
    use reelmeans::catalog::stream;
    use reelmeans::catalog::stream::KeptLimit;
    use reelmeans::catalog::{infer_roles, ColumnRole, ImdbFilter};
    use reelmeans::evaluate::{EvalSettings, UserClusters, UserFeatures};
    use reelmeans::export::{clustered_csv, matrix_csv, matrix_npy, read_npy, SavedModel};
    use reelmeans::interactions::{read_links, Interactions};
    use reelmeans::kmeans::{elbow, suggest_k, FitProgress};
    use reelmeans::recommend::Ranking;
    use reelmeans::search::TitleIndex;
    use reelmeans::table::Table;
    use reelmeans::taste::{learn_for_catalog, TasteParams};
    use reelmeans::upload::{read_sheet, InputFile, Upload};
    use reelmeans::CatalogError;
    use reelmeans::{
        Algorithm, Catalog, ClusteredCatalog, FeatureGroup, FeaturePipeline, FeatureSpec,
        KMeansParams, Recommender, Scaling,
    };
    use std::collections::HashSet;
    use std::ffi::OsString;
    use std::io::{BufRead, Read, Write};
    use std::path::PathBuf;
    use std::time::Instant;

    const USAGE: &str = "usage:
  reelmeans features CATALOG --out MATRIX.csv|MATRIX.npy [CATALOG OPTIONS]
  reelmeans cluster CATALOG --k K [KMEANS OPTIONS] [--json] [--out CLUSTERED.csv]
                    [--model MODEL.json] [CATALOG OPTIONS]
  reelmeans cluster --matrix MATRIX.csv|MATRIX.npy --k K [KMEANS OPTIONS] [--json]
                    [--out LABELS.csv] [--model CENTROIDS.csv]
  reelmeans cluster CATALOG --from-model MODEL.json [--json] [--out CLUSTERED.csv]
                    the clusters of a saved model (from the app, the CLI or the
                    Spark job), no k-means: each title to its nearest centroid
  reelmeans spec CATALOG --out SPEC.json [--taste-factors N] [CATALOG OPTIONS]
                    the feature pipeline fitted to a catalog (scales, kept
                    categories, weights), as the Spark job reads it; with
                    --taste-factors, N taste columns learnt elsewhere
  reelmeans recommend CATALOG --title TITLE [--n N] [--k K] [--seed S] [--json] [CATALOG OPTIONS]
  reelmeans elbow CATALOG --k-min A --k-max B [--seed S] [--json] [CATALOG OPTIONS]
  reelmeans evaluate RATINGS --catalog CATALOG [--links links.csv] [--user-k N]
                    [--item-k N] [--seed S] [--seeds N] [--taste-weight W] [--factors N]
                    [--ranking nearest|blend=B] [--prepared MODEL.json] [--json]
                    offline evaluation (see README); --prepared adds the
                    recommender on CATALOG's own taste and MODEL's clusters
  reelmeans kept RATINGS --catalog CATALOG [--links links.csv] --out KEPT.csv
                    the interactions the evaluation keeps (each user's newest
                    10% held out), keyed by the catalog's id: what a catalog
                    prepared elsewhere learns from before `evaluate --prepared`
  reelmeans users INTERACTIONS --catalog ITEMS --user ID [--links links.csv]
                    [--features means|binary] [--user-k N] [--seed S] [--n N] [--json]
                                               the course recommender for one user
  reelmeans roles CATALOG                      print the inferred column roles and how each reads
  reelmeans parse CATALOG [--whole-table] [--json]
                    read a catalog and report it (record by record, or as a table);
                    --json prints the records as read, before trimming and null markers
  reelmeans prepare TMDB.csv --out CATALOG.csv [--interactions ratings.csv [--links links.csv]]
                    [--factors N] [--seed S] [CATALOG OPTIONS]
                    write the app's trimmed default catalog, with taste factors
                    learnt from the interactions
  reelmeans imdb-standin DIR [--titles N] [--seed S]
                    write a seeded stand-in for IMDb's dumps, DIR/title.basics.tsv.gz
                    and DIR/title.ratings.tsv.gz (default 11,000,000 titles)
  reelmeans --help | --version

KMEANS OPTIONS:
  --seed S  --n-init N  --max-iter N  --tol T  --algorithm hamerly|lloyd
  --threads N             shards of rows, one thread each (default: every core);
                          the clusters are the same for any N

CATALOG OPTIONS:
  --ratings FILE          MovieLens ratings.csv or IMDb title.ratings.tsv to join
  --min-votes N           IMDb title.basics: keep titles with at least N votes
                          in the ratings file (default 1000; 0 keeps unrated ones)
  --tv-movies             IMDb title.basics: keep TV movies as well as movies
                          (any file may be gzip: it is inflated as it is read)
  --sheet NAME            the sheet of an .xlsx or .ods catalog to read (default:
                          the first with a header row)
  --role COLUMN=ROLE      override an inferred role (ignore, id, title, year, genres,
                          genre-flag, language, runtime, rating, votes, popularity,
                          number, category, taste)
  --scaling minmax|zscore --clip-outliers --weight GROUP=W (taste, genres, era,
                          popularity, rating, runtime, language, other)";

    /// A command line's flag or positional argument, owned, so the parser
    /// can be asked for the flag's value.
    enum Token {
        /// A flag: its long name, and how it was written (`-o` or `--out`).
        Flag(String, String),
        Value(OsString),
    }

    fn next(p: &mut lexopt::Parser) -> Result<Option<Token>, String> {
        let short = |c: char, long: &str| Token::Flag(long.into(), format!("-{c}"));
        Ok(match p.next().map_err(|e| e.to_string())? {
            None => None,
            Some(Short(c @ 'k')) => Some(short(c, "k")),
            Some(Short(c @ 'n')) => Some(short(c, "n")),
            Some(Short(c @ 'o')) => Some(short(c, "out")),
            Some(Short(c @ 'h')) => Some(short(c, "help")),
            Some(Short(c @ 'V')) => Some(short(c, "version")),
            Some(Short(c)) => Some(short(c, &c.to_string())),
            Some(Long(name)) => Some(Token::Flag(name.to_string(), format!("--{name}"))),
            Some(Value(v)) => Some(Token::Value(v)),
        })
    }

    fn text(p: &mut lexopt::Parser) -> Result<String, String> {
        p.value()
            .map_err(|e| e.to_string())?
            .string()
            .map_err(|e| e.to_string())
    }

    fn path(p: &mut lexopt::Parser) -> Result<PathBuf, String> {
        Ok(p.value().map_err(|e| e.to_string())?.into())
    }

    fn number<T: std::str::FromStr>(p: &mut lexopt::Parser, flag: &str) -> Result<T, String> {
        let text = text(p)?;
        text.parse()
            .map_err(|_| format!("--{flag} expects a number, got '{text}'"))
    }

    /// What a command's parser does with one flag: take it (`Ok(true)`) or
    /// leave it to say the command does not take it (`Ok(false)`).
    trait Flags {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String>;
        fn positional(&mut self, value: OsString) -> Result<(), String>;
    }

    /// Reads the rest of the command line into `args`.
    fn parse_into<T: Flags>(
        command: &str,
        mut args: T,
        p: &mut lexopt::Parser,
    ) -> Result<Option<T>, String> {
        while let Some(token) = next(p)? {
            match token {
                Token::Flag(name, _) if name == "help" => return Ok(None),
                Token::Flag(name, written) => {
                    if !args.flag(&name, p)? {
                        return Err(format!(
                            "{command} does not take {written} (see reelmeans --help)"
                        ));
                    }
                }
                Token::Value(v) => args.positional(v)?,
            }
        }
        Ok(Some(args))
    }

    fn one_input(slot: &mut Option<PathBuf>, value: OsString) -> Result<(), String> {
        if slot.is_some() {
            return Err(format!("unexpected argument '{}'", value.to_string_lossy()));
        }
        *slot = Some(value.into());
        Ok(())
    }

    /// A catalog to read, and how to read and scale it.
    #[derive(Default)]
    struct CatalogArgs {
        path: Option<PathBuf>,
        ratings: Option<PathBuf>,
        /// Which rows of IMDb's title.basics become titles.
        filter: ImdbFilter,
        roles: Vec<(String, ColumnRole)>,
        spec: FeatureSpec,
        /// The sheet of a workbook to read (the first with a header row when `None`).
        sheet: Option<String>,
        /// A flag that only makes sense with a catalog was given.
        any_option: bool,
    }

    impl Flags for CatalogArgs {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
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
                            return Err(format!(
                                "--scaling must be minmax or zscore, not '{other}'"
                            ))
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
                    let role =
                        ColumnRole::from_name(role).ok_or(format!("unknown role '{role}'"))?;
                    self.roles.push((col.to_string(), role));
                }
                _ => return Ok(false),
            }
            self.any_option = true;
            Ok(true)
        }

        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.path, value)
        }
    }

    impl CatalogArgs {
        /// Reads the catalog as the app's worker does ([`Upload`]): gzip
        /// inflated as it is read, IMDb's basics dump filtered and joined
        /// as it streams, ratings joined and taste learnt.
        fn load(&self) -> Result<Catalog, String> {
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
                let mut text = Vec::new();
                let (mut reader, _) = stream::open(catalog_file()?.reader, 0);
                // The head is enough to find the columns and infer their roles
                // (JSON, which cannot be cut, is read whole).
                let json = is_json(
                    reader
                        .fill_buf()
                        .map_err(|e| at(path)(stream::read_error(e)))?,
                );
                reader
                    .take(if json { u64::MAX } else { 1 << 20 })
                    .read_to_end(&mut text)
                    .map_err(|e| at(path)(stream::read_error(e)))?;
                if json {
                    text = json_to_csv(&text).map_err(at(path))?;
                }
                let table = Table::parse(reelmeans::table::head_sample(&text, 1 << 20))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
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

    /// A file opened for reading, with its size.
    /// The CSV of a workbook's sheet (`wanted`, or the first with a header
    /// row), or `None` when the file is no workbook.
    fn workbook_csv(path: &PathBuf, wanted: Option<&str>) -> Result<Option<Vec<u8>>, String> {
        let (mut reader, _) = stream::open(open(path)?.reader, 0);
        let head = reader
            .fill_buf()
            .map_err(|e| format!("{}: {}", path.display(), stream::read_error(e)))?;
        if !(is_workbook(head)) {
            return match wanted {
                Some(_) => Err(format!(
                    "--sheet: {} is not an .xlsx or .ods workbook",
                    path.display()
                )),
                None => Ok(None),
            };
        }
        let sheet = read_sheet(open(path)?, wanted, KeptLimit::DEFAULT)
            .map_err(|e| format!("{}: {e}", path.display()))?;
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

    fn open(path: &PathBuf) -> Result<InputFile<'static>, String> {
        let fail = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let file = std::fs::File::open(path).map_err(fail)?;
        let size = file.metadata().map_err(fail)?.len();
        Ok(InputFile::new(file, size))
    }

    /// `imdb-standin`: a full-size stand-in for IMDb's dumps, gzipped.
    #[derive(Default)]
    struct ImdbStandin {
        dir: Option<PathBuf>,
        titles: Option<usize>,
        seed: Option<u64>,
    }

    impl Flags for ImdbStandin {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "titles" => self.titles = Some(number(p, "titles")?),
                "seed" => self.seed = Some(number(p, "seed")?),
                _ => return Ok(false),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.dir, value)
        }
    }

    impl ImdbStandin {
        fn run(self) -> Result<(), String> {
            use flate2::write::GzEncoder;
            use reelmeans::standin::{write_standin, StandinParams};
            let dir = self
                .dir
                .as_ref()
                .ok_or("imdb-standin needs a DIR to write to")?;
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            let defaults = StandinParams::default();
            let params = StandinParams {
                titles: self.titles.unwrap_or(defaults.titles),
                seed: self.seed.unwrap_or(defaults.seed),
            };
            let create = |name: &str| {
                let path = dir.join(name);
                let file = std::fs::File::create(&path)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                // IMDb's own files are gzip at the default level.
                Ok::<_, String>(GzEncoder::new(
                    std::io::BufWriter::new(file),
                    flate2::Compression::default(),
                ))
            };
            let (mut basics, mut ratings) = (
                create("title.basics.tsv.gz")?,
                create("title.ratings.tsv.gz")?,
            );
            let failed = |e: std::io::Error| format!("cannot write to {}: {e}", dir.display());
            let summary = write_standin(params, &mut basics, &mut ratings).map_err(failed)?;
            for file in [basics, ratings] {
                file.finish().and_then(|mut w| w.flush()).map_err(failed)?;
            }
            eprintln!(
                "wrote {} titles ({} rated; {} movies, {} of them with at least 1,000 votes) to {}",
                summary.titles,
                summary.rated,
                summary.movies,
                summary.movies_with_1000_votes,
                dir.display()
            );
            Ok(())
        }
    }

    /// k-means parameters.
    #[derive(Default)]
    struct KMeansArgs {
        k: Option<usize>,
        seed: Option<u64>,
        n_init: Option<usize>,
        max_iter: Option<usize>,
        tol: Option<f64>,
        algorithm: Option<Algorithm>,
        threads: Option<usize>,
    }

    impl KMeansArgs {
        /// Takes the k-means flags; `--k` only where the command has a k.
        fn flag(
            &mut self,
            name: &str,
            p: &mut lexopt::Parser,
            with_k: bool,
        ) -> Result<bool, String> {
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
                            return Err(format!(
                                "--algorithm must be hamerly or lloyd, not '{other}'"
                            ))
                        }
                    })
                }
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn params(&self, default_k: usize) -> KMeansParams {
            let mut p =
                KMeansParams::new(self.k.unwrap_or(default_k)).seed(self.seed.unwrap_or(42));
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
    struct InteractionArgs {
        path: Option<PathBuf>,
        catalog: Option<PathBuf>,
        links: Option<PathBuf>,
    }

    impl InteractionArgs {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "catalog" => self.catalog = Some(path(p)?),
                "links" => self.links = Some(path(p)?),
                _ => return Ok(false),
            }
            Ok(true)
        }

        /// The item catalog and the interactions joined to it.
        fn load(&self) -> Result<(Catalog, Interactions), String> {
            let path = self
                .path
                .as_ref()
                .ok_or("an interactions file is required")?;
            let catalog_path = self
                .catalog
                .as_ref()
                .ok_or("--catalog ITEMS.csv is required (the items the interactions refer to)")?;
            let catalog = Catalog::parse(&read(catalog_path)?)
                .map_err(|e| format!("{}: {e}", catalog_path.display()))?;
            let interactions = join_interactions(path, &catalog, self.links.as_ref())?;
            Ok((catalog, interactions))
        }
    }

    /// A saved model (the CLI's `--model`, or the Spark job's `model.json`).
    fn read_model(path: &PathBuf) -> Result<SavedModel, String> {
        let json = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        SavedModel::from_json(&json).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn join_interactions(
        path: &PathBuf,
        catalog: &Catalog,
        links: Option<&PathBuf>,
    ) -> Result<Interactions, String> {
        let links = match links {
            Some(l) => Some(read_links(&read(l)?).map_err(|e| format!("{}: {e}", l.display()))?),
            None => None,
        };
        let interactions = Interactions::parse(&read(path)?, catalog, links.as_ref())
            .map_err(|e| format!("{}: {e}", path.display()))?;
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
    fn read_catalog(path: &PathBuf) -> Result<Vec<u8>, String> {
        match workbook_csv(path, None)? {
            Some(csv) => Ok(csv),
            None => read(path),
        }
    }

    fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }

    fn write(path: &PathBuf, text: &str) -> Result<(), String> {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    fn print_summary(json: bool, summary: &serde_json::Value) {
        if json {
            println!("{summary}");
        } else if let Some(map) = summary.as_object() {
            for (key, value) in map {
                println!("{key}: {value}");
            }
        }
    }

    /// Entry point: runs one command line.
    pub fn run(args: Vec<OsString>) -> Result<(), String> {
        let mut p = lexopt::Parser::from_args(args);
        let command = match next(&mut p)? {
            None => return Err(USAGE.into()),
            Some(Token::Flag(name, _)) if name == "help" => return help(),
            Some(Token::Flag(name, _)) if name == "version" => {
                println!("reelmeans {}", env!("CARGO_PKG_VERSION"));
                return Ok(());
            }
            Some(Token::Flag(_, written)) => {
                return Err(format!(
                    "unknown option {written} before the command\n{USAGE}"
                ))
            }
            Some(Token::Value(v)) => v.to_string_lossy().into_owned(),
        };
        macro_rules! dispatch {
            ($args:expr) => {
                match parse_into(&command, $args, &mut p)? {
                    Some(args) => args.run(),
                    None => help(),
                }
            };
        }
        match command.as_str() {
            "features" => dispatch!(Features::default()),
            "cluster" => dispatch!(Cluster::default()),
            "recommend" => dispatch!(Recommend {
                n: 10,
                ..Recommend::default()
            }),
            "elbow" => dispatch!(Elbow::default()),
            "evaluate" => dispatch!(Evaluate::default()),
            "kept" => dispatch!(Kept::default()),
            "users" => dispatch!(Users {
                n: 10,
                ..Users::default()
            }),
            "roles" => dispatch!(Roles::default()),
            "parse" => dispatch!(Parse::default()),
            "prepare" => dispatch!(Prepare::default()),
            "spec" => dispatch!(Spec::default()),
            "imdb-standin" => dispatch!(ImdbStandin::default()),
            "help" => help(),
            other => Err(format!("unknown command '{other}'\n{USAGE}")),
        }
    }

    fn help() -> Result<(), String> {
        println!("{USAGE}");
        Ok(())
    }

    /// `features`: the scaled matrix of a catalog.
    #[derive(Default)]
    struct Features {
        catalog: CatalogArgs,
        out: Option<PathBuf>,
    }

    impl Flags for Features {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "out" => self.out = Some(path(p)?),
                _ => return self.catalog.flag(name, p),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            self.catalog.positional(value)
        }
    }

    impl Features {
        fn run(self) -> Result<(), String> {
            let out = self.out.as_ref().ok_or("features needs --out MATRIX.csv")?;
            let catalog = self.catalog.load()?;
            let pipeline =
                FeaturePipeline::fit(&catalog, &self.catalog.spec).map_err(|e| e.to_string())?;
            let matrix = pipeline.transform(&catalog);
            if is_npy(out) {
                std::fs::write(out, matrix_npy(&matrix))
                    .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            } else {
                write(out, &matrix_csv(&pipeline.names(), &matrix))?;
            }
            eprintln!(
                "wrote {} rows × {} features to {}",
                catalog.len(),
                pipeline.columns().len(),
                out.display()
            );
            Ok(())
        }
    }

    /// `cluster`: k-means on a catalog, or on a matrix written by `features`.
    #[derive(Default)]
    struct Cluster {
        catalog: CatalogArgs,
        matrix: Option<PathBuf>,
        kmeans: KMeansArgs,
        json: bool,
        out: Option<PathBuf>,
        model: Option<PathBuf>,
        from_model: Option<PathBuf>,
    }

    impl Flags for Cluster {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "matrix" => self.matrix = Some(path(p)?),
                "from-model" => self.from_model = Some(path(p)?),
                "json" => self.json = true,
                "out" => self.out = Some(path(p)?),
                "model" => self.model = Some(path(p)?),
                _ => return Ok(self.kmeans.flag(name, p, true)? || self.catalog.flag(name, p)?),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            self.catalog.positional(value)
        }
    }

    impl Cluster {
        fn run(self) -> Result<(), String> {
            if let Some(model) = &self.from_model {
                return self.run_with_model(model);
            }
            let k = self.kmeans.k.ok_or("cluster needs --k K")?;
            let Some(path) = &self.matrix else {
                return self.run_on_catalog(k);
            };
            if self.catalog.path.is_some() || self.catalog.any_option {
                return Err(
                    "cluster --matrix reads features already scaled: give it no CATALOG and no catalog options".into(),
                );
            }
            let matrix = read_matrix(path)?;
            let p = self.kmeans.params(k);
            let start = Instant::now();
            let mut stages = StageClock::default();
            let model = p
                .fit_with_progress(matrix.view(), &mut |fit| {
                    stages.saw(match fit {
                        FitProgress::Seeding { .. } => reelmeans::Stage::Seeding(0.0),
                        FitProgress::Assigning { iteration, .. }
                        | FitProgress::Iteration { iteration, .. } => {
                            reelmeans::Stage::Clustering(iteration)
                        }
                    })
                })
                .map_err(|e| e.to_string())?;
            let seconds = start.elapsed().as_secs_f64();
            stages.end();
            let summary = serde_json::json!({
                "k": k, "rows": matrix.nrows(), "columns": matrix.ncols(),
                "iterations": model.iterations(), "inertia": model.inertia(), "seconds": seconds,
                "distance_computations": model.distance_computations(), "threads": p.get_threads(),
                "kmeans_seconds": seconds, "stage_seconds": stages.seconds,
                "algorithm": format!("{:?}", p.get_algorithm()).to_lowercase(),
            });
            print_summary(self.json, &summary);
            if let Some(out) = &self.out {
                let mut text = String::from("cluster\n");
                for label in model.labels() {
                    text += &format!("{label}\n");
                }
                write(out, &text)?;
            }
            if let Some(centroids) = &self.model {
                let names: Vec<String> = if is_npy(path) {
                    (0..matrix.ncols()).map(|c| format!("f{c}")).collect()
                } else {
                    read_matrix_header(path)?
                };
                write(centroids, &matrix_csv(&names, model.centroids()))?;
            }
            Ok(())
        }

        fn run_on_catalog(&self, k: usize) -> Result<(), String> {
            let reading = Instant::now();
            let catalog = self.catalog.load()?;
            let read_seconds = reading.elapsed().as_secs_f64();
            let params = self.kmeans.params(k);
            let start = Instant::now();
            let mut stages = StageClock::default();
            let data =
                ClusteredCatalog::build(catalog, &self.catalog.spec, &params, &mut |stage| {
                    stages.saw(stage)
                })
                .map_err(|e| e.to_string())?;
            let seconds = start.elapsed().as_secs_f64();
            stages.end();
            let summary = serde_json::json!({
                "k": k, "rows": data.matrix().nrows(), "columns": data.matrix().ncols(),
                "iterations": data.model().iterations(), "inertia": data.model().inertia(),
                "seconds": seconds, "kmeans_seconds": stages.kmeans_seconds(),
                "stage_seconds": stages.seconds, "threads": params.get_threads(),
                "cluster_sizes": data.cluster_sizes(),
                "distance_computations": data.model().distance_computations(),
                "read_seconds": read_seconds, "peak_rss_mb": peak_rss_mb(),
            });
            print_summary(self.json, &summary);
            if let Some(out) = &self.out {
                write(out, &clustered_csv(&data))?;
            }
            if let Some(model) = &self.model {
                write(model, &SavedModel::from_clustered(&data).to_json())?;
            }
            Ok(())
        }
    }

    impl Cluster {
        /// `cluster CATALOG --from-model MODEL.json`.
        fn run_with_model(&self, model: &PathBuf) -> Result<(), String> {
            if self.matrix.is_some() || self.kmeans.k.is_some() || self.model.is_some() {
                return Err("--from-model takes its k and centroids from the model: give it no --matrix, --k or --model".into());
            }
            let saved = read_model(model)?;
            let catalog = self.catalog.load()?;
            let start = Instant::now();
            let data = ClusteredCatalog::with_model(catalog, &saved, 42, &mut |_| {})
                .map_err(|e| format!("{}: {e}", model.display()))?;
            let summary = serde_json::json!({
                "k": data.model().k(), "rows": data.matrix().nrows(), "columns": data.matrix().ncols(),
                "inertia": data.model().inertia(), "seconds": start.elapsed().as_secs_f64(),
                "cluster_sizes": data.cluster_sizes(),
            });
            print_summary(self.json, &summary);
            if let Some(out) = &self.out {
                write(out, &clustered_csv(&data))?;
            }
            Ok(())
        }
    }

    /// `spec`: the fitted feature pipeline, for the Spark job.
    #[derive(Default)]
    struct Spec {
        catalog: CatalogArgs,
        out: Option<PathBuf>,
        taste_factors: Option<usize>,
    }

    impl Flags for Spec {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "out" => self.out = Some(path(p)?),
                "taste-factors" => self.taste_factors = Some(number(p, "taste-factors")?),
                _ => return self.catalog.flag(name, p),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            self.catalog.positional(value)
        }
    }

    impl Spec {
        fn run(self) -> Result<(), String> {
            let out = self.out.as_ref().ok_or("spec needs --out SPEC.json")?;
            let catalog = self.catalog.load()?;
            let mut pipeline =
                FeaturePipeline::fit(&catalog, &self.catalog.spec).map_err(|e| e.to_string())?;
            if let Some(n) = self.taste_factors {
                pipeline = pipeline.with_taste_factors(n);
            }
            let spec = serde_json::json!({
                "version": reelmeans::export::MODEL_VERSION,
                "pipeline": pipeline,
            });
            write(
                out,
                &serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?,
            )?;
            eprintln!(
                "wrote the pipeline of {} feature columns fitted to {} titles to {}",
                pipeline.columns().len(),
                catalog.len(),
                out.display()
            );
            Ok(())
        }
    }

    /// Seconds spent in each stage of a build, keyed by the stage's name.
    /// k-means is timed from its first seeding report to the projection, the
    /// same two reports the browser's worker times it between.
    #[derive(Default)]
    struct StageClock {
        current: Option<(&'static str, Instant)>,
        seconds: serde_json::Map<String, serde_json::Value>,
        kmeans: (Option<Instant>, Option<Instant>),
    }

    impl StageClock {
        fn saw(&mut self, stage: reelmeans::Stage) {
            use reelmeans::Stage;
            let name = match stage {
                Stage::Scaling(_) => "scaling",
                Stage::Encoding(_) => "encoding",
                Stage::Seeding(_) => "seeding",
                Stage::Clustering(_) => "iterations",
                Stage::Projecting => "projecting",
                _ => "other",
            };
            let now = Instant::now();
            match stage {
                Stage::Seeding(_) if self.kmeans.0.is_none() => self.kmeans.0 = Some(now),
                Stage::Projecting => self.kmeans.1 = Some(now),
                _ => {}
            }
            if self.current.is_some_and(|(current, _)| current == name) {
                return;
            }
            self.end();
            self.current = Some((name, now));
        }

        fn end(&mut self) {
            if let Some((name, since)) = self.current.take() {
                let total = self
                    .seconds
                    .get(name)
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0)
                    + since.elapsed().as_secs_f64();
                self.seconds.insert(name.into(), total.into());
            }
        }

        fn kmeans_seconds(&self) -> Option<f64> {
            match self.kmeans {
                (Some(start), Some(end)) => Some((end - start).as_secs_f64()),
                _ => None,
            }
        }
    }

    /// This process's peak resident memory in MB (Linux's `VmHWM`), if known.
    fn peak_rss_mb() -> Option<f64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some((kb / 1024.0 * 10.0).round() / 10.0)
    }

    fn read_matrix_header(path: &PathBuf) -> Result<Vec<String>, String> {
        Ok(Table::parse(&read(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .headers)
    }

    fn is_npy(path: &std::path::Path) -> bool {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
    }

    /// A matrix from CSV text (a header of names, then numbers) or a float32 `.npy` file.
    fn read_matrix(path: &PathBuf) -> Result<Array2<f32>, String> {
        if is_npy(path) {
            let matrix = read_npy(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
            return Ok(matrix);
        }
        let table = Table::parse(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
        if table.issues.total > 0 {
            return Err(format!("{}: {}", path.display(), table.issues.examples[0]));
        }
        let d = table.headers.len();
        let mut values = Vec::with_capacity(table.rows.len() * d);
        for row in &table.rows {
            for (c, cell) in row.cells.iter().enumerate() {
                let v: f32 = cell.trim().parse().map_err(|_| {
                    format!(
                        "{}: line {}, column '{}': '{cell}' is not a number",
                        path.display(),
                        row.line,
                        table.headers[c]
                    )
                })?;
                values.push(v);
            }
        }
        Array2::from_shape_vec((table.rows.len(), d), values).map_err(|e| e.to_string())
    }

    /// `recommend`: titles from a title's cluster.
    #[derive(Default)]
    struct Recommend {
        catalog: CatalogArgs,
        kmeans: KMeansArgs,
        title: Option<String>,
        n: usize,
        json: bool,
    }

    impl Flags for Recommend {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "title" => self.title = Some(text(p)?),
                "n" => self.n = number(p, "n")?,
                "json" => self.json = true,
                _ => return Ok(self.kmeans.flag(name, p, true)? || self.catalog.flag(name, p)?),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            self.catalog.positional(value)
        }
    }

    impl Recommend {
        fn run(self) -> Result<(), String> {
            let title = self.title.as_ref().ok_or("recommend needs --title TITLE")?;
            let catalog = self.catalog.load()?;
            let k = self
                .kmeans
                .k
                .unwrap_or_else(|| reelmeans::clustered::default_k(catalog.len()));
            let data = ClusteredCatalog::build(
                catalog,
                &self.catalog.spec,
                &self.kmeans.params(k),
                &mut |_| {},
            )
            .map_err(|e| e.to_string())?;
            let index = TitleIndex::new(&data.catalog().movies);
            let hits = index.search(title, 5);
            let Some(hit) = hits.first() else {
                return Err(format!("no title matches '{title}'"));
            };
            let movies = &data.catalog().movies;
            if hit.kind == reelmeans::search::MatchKind::Fuzzy {
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
                        "cluster": data.cluster_of(r.index), "distance": r.distance, "reason": r.reason,
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

    /// `elbow`: inertia and silhouette for a range of k.
    #[derive(Default)]
    struct Elbow {
        catalog: CatalogArgs,
        kmeans: KMeansArgs,
        k_min: Option<usize>,
        k_max: Option<usize>,
        json: bool,
    }

    impl Flags for Elbow {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "k-min" => self.k_min = Some(number(p, "k-min")?),
                "k-max" => self.k_max = Some(number(p, "k-max")?),
                "json" => self.json = true,
                _ => return Ok(self.kmeans.flag(name, p, false)? || self.catalog.flag(name, p)?),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            self.catalog.positional(value)
        }
    }

    impl Elbow {
        fn run(self) -> Result<(), String> {
            let catalog = self.catalog.load()?;
            let pipeline =
                FeaturePipeline::fit(&catalog, &self.catalog.spec).map_err(|e| e.to_string())?;
            let matrix = pipeline.transform(&catalog);
            let (k_min, k_max) = (self.k_min.unwrap_or(2), self.k_max.unwrap_or(30));
            let points = elbow(
                matrix.view(),
                k_min,
                k_max,
                &self.kmeans.params(1),
                1000,
                &mut |_| {},
            )
            .map_err(|e| e.to_string())?;
            let suggested = suggest_k(&points);
            if self.json {
                println!(
                    "{}",
                    serde_json::json!({ "points": points, "suggested_k": suggested })
                );
            } else {
                println!("{:>4} {:>14} {:>11}", "k", "inertia", "silhouette");
                for p in &points {
                    let s = p.silhouette.map_or("-".into(), |s| format!("{s:.4}"));
                    println!("{:>4} {:>14.3} {:>11}", p.k, p.inertia, s);
                }
                if let Some(k) = suggested {
                    println!("suggested k (elbow): {k}");
                }
            }
            Ok(())
        }
    }

    /// `evaluate`: every recommender on held-out interactions.
    #[derive(Default)]
    struct Evaluate {
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
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
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
                            return Err(format!("--ranking must be nearest or blend=B, not '{v}'"))
                        }
                    });
                }
                "prepared" => self.prepared = Some(path(p)?),
                "json" => self.json = true,
                _ => return self.data.flag(name, p),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.data.path, value)
        }
    }

    impl Evaluate {
        fn run(self) -> Result<(), String> {
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
            let summaries =
                reelmeans::evaluate::evaluate_seeds(&catalog, &interactions, &settings, &seeds)
                    .map_err(|e| e.to_string())?;
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
                print!("{}", reelmeans::evaluate::summary_table(&summaries));
            }
            Ok(())
        }
    }

    /// `kept`: the evaluation's kept interactions, for a catalog prepared elsewhere.
    #[derive(Default)]
    struct Kept {
        data: InteractionArgs,
        out: Option<PathBuf>,
    }

    impl Flags for Kept {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "out" => self.out = Some(path(p)?),
                _ => return self.data.flag(name, p),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.data.path, value)
        }
    }

    impl Kept {
        fn run(self) -> Result<(), String> {
            let out = self.out.as_ref().ok_or("kept needs --out KEPT.csv")?;
            let (catalog, interactions) = self.data.load()?;
            let csv = reelmeans::evaluate::kept_csv(&catalog, &interactions);
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

    /// `users`: the course recommender for one user.
    #[derive(Default)]
    struct Users {
        data: InteractionArgs,
        user: Option<String>,
        binary: bool,
        user_k: Option<usize>,
        seed: Option<u64>,
        n: usize,
        json: bool,
    }

    impl Flags for Users {
        fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "user" => self.user = Some(text(p)?),
                "features" => {
                    self.binary = match text(p)?.as_str() {
                        "means" => false,
                        "binary" => true,
                        other => {
                            return Err(format!(
                                "--features must be means or binary, not '{other}'"
                            ))
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
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.data.path, value)
        }
    }

    impl Users {
        fn run(self) -> Result<(), String> {
            let (catalog, interactions) = self.data.load()?;
            let user = self.user.as_ref().ok_or("users needs --user ID")?;
            let index = interactions
                .users
                .iter()
                .position(|u| u == user)
                .ok_or(format!("no user '{user}' in the interactions"))?;
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
            )
            .map_err(|e| e.to_string())?;
            let cluster = clusters.model.labels()[index] as usize;
            let recs = clusters.recommend(index, self.n);
            let profile = clusters.profile(cluster, 3);
            if self.json {
                let list: Vec<_> = recs
                    .iter()
                    .map(|&(item, peers)| {
                        let m = &catalog.movies[item as usize];
                        serde_json::json!({ "id": m.id, "title": m.title, "peers": peers })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({ "user": user, "cluster": cluster, "profile": profile, "recommendations": list })
                );
            } else {
                let names: Vec<String> =
                    profile.iter().map(|(f, v)| format!("{f} {v:.2}")).collect();
                println!(
                    "user {user} — cluster {cluster} of {}; the cluster's favourites: {}",
                    clusters.model.k(),
                    names.join(", ")
                );
                for (i, (item, peers)) in recs.iter().enumerate() {
                    println!(
                        "{:>3}. {}  ({peers} peers engaged strongly)",
                        i + 1,
                        catalog.movies[*item as usize].title
                    );
                }
            }
            Ok(())
        }
    }

    /// `roles`: the column roles a file would be read with.
    #[derive(Default)]
    struct Roles {
        path: Option<PathBuf>,
    }

    impl Flags for Roles {
        fn flag(&mut self, _: &str, _: &mut lexopt::Parser) -> Result<bool, String> {
            Ok(false)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.path, value)
        }
    }

    impl Roles {
        fn run(self) -> Result<(), String> {
            let path = self.path.as_ref().ok_or("a CATALOG file is required")?;
            let bytes = read_catalog(path)?;
            let table = Table::parse(reelmeans::table::head_sample(&bytes, 1 << 20))
                .map_err(|e| e.to_string())?;
            let readings = read_columns(table.headers.len(), &table.rows);
            let roles = infer_roles(&table.headers, &table.rows);
            // The column, its role, and how its values read under that role
            // (the mapping table's "Read as").
            for ((h, r), reading) in table.headers.iter().zip(roles).zip(&readings) {
                match reading.for_role(r) {
                    Some(u) if u.failed > 0 => println!(
                        "{h}\t{}\t{}\t{} of {} not understood (first: {:?})",
                        r.name(),
                        u.format,
                        u.failed,
                        u.values,
                        u.example.as_deref().unwrap_or_default()
                    ),
                    Some(u) => println!("{h}\t{}\t{}", r.name(), u.format),
                    None => println!("{h}\t{}", r.name()),
                }
            }
            Ok(())
        }
    }

    /// `parse`: read a catalog and report it, or print its records as read.
    #[derive(Default)]
    struct Parse {
        path: Option<PathBuf>,
        whole_table: bool,
        json: bool,
    }

    impl Flags for Parse {
        fn flag(&mut self, name: &str, _: &mut lexopt::Parser) -> Result<bool, String> {
            match name {
                "whole-table" => self.whole_table = true,
                "json" => self.json = true,
                _ => return Ok(false),
            }
            Ok(true)
        }
        fn positional(&mut self, value: OsString) -> Result<(), String> {
            one_input(&mut self.path, value)
        }
    }

    impl Parse {
        fn run(self) -> Result<(), String> {
            let path = self.path.as_ref().ok_or("a CATALOG file is required")?;
            if self.json {
                return print_records(path);
            }
            let start = Instant::now();
            let bytes = read_catalog(path)?;
            let catalog = if self.whole_table {
                let table = Table::parse(&bytes).map_err(|e| e.to_string())?;
                Catalog::from_table(&table, &infer_roles(&table.headers, &table.rows))
                    .map_err(|e| e.to_string())?
            } else {
                Catalog::parse_streaming(bytes, None, &mut |_| {})
                    .map_err(|e| e.to_string())?
                    .0
            };
            println!(
                "{} titles, {} rows left out{}, read in {:.2} s",
                catalog.len(),
                catalog.issues.total,
                if catalog.issues.total > 0 {
                    format!(" ({})", catalog.issues.summary())
                } else {
                    String::new()
                },
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }

    /// The records of a file as the reader sees them, before any cleaning:
    /// the text decoded (UTF-8 or Latin-1), the delimiter detected, every
    /// record (the header first) with its fields untrimmed. For checking the
    /// reader against other CSV test suites.
    fn print_records(path: &PathBuf) -> Result<(), String> {
        let (text, encoding) = reelmeans::table::decode_owned(read(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let delimiter = reelmeans::table::detect_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
            records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
        }
        println!(
            "{}",
            serde_json::json!({
                "encoding": format!("{encoding:?}"),
                "delimiter": (delimiter as char).to_string(),
                "records": records,
            })
        );
        Ok(())
    }

    /// `prepare`: the app's default catalog, with taste factors.
    #[derive(Default)]
    struct Prepare {
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
        fn run(self) -> Result<(), String> {
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
                record.extend(
                    (0..dims).map(|f| m.taste.get(f).map_or(String::new(), |&x| factor(x))),
                );
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
    fn factor(x: f32) -> String {
        let text = format!("{x:.2}");
        if text == "-0.00" {
            "0.00".into()
        } else {
            text
        }
    }
}
