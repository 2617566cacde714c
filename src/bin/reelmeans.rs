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

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use lexopt::prelude::*;
    use ndarray::Array2;
    use reelmeans::catalog::{infer_roles, ColumnRole};
    use reelmeans::evaluate::{EvalSettings, UserClusters, UserFeatures};
    use reelmeans::export::{clustered_csv, matrix_csv, SavedModel};
    use reelmeans::interactions::{read_links, Interactions};
    use reelmeans::kmeans::{elbow, suggest_k};
    use reelmeans::recommend::Ranking;
    use reelmeans::search::TitleIndex;
    use reelmeans::table::Table;
    use reelmeans::taste::{learn_for_catalog, TasteParams};
    use reelmeans::{
        Algorithm, Catalog, ClusteredCatalog, FeatureGroup, FeaturePipeline, FeatureSpec,
        KMeansParams, Recommender, Scaling,
    };
    use std::collections::HashSet;
    use std::ffi::OsString;
    use std::path::PathBuf;
    use std::time::Instant;

    const USAGE: &str = "usage:
  reelmeans features CATALOG --out MATRIX.csv [CATALOG OPTIONS]
  reelmeans cluster (CATALOG | --matrix MATRIX.csv) --k K [--seed S] [--n-init N]
                    [--max-iter N] [--tol T] [--algorithm hamerly|lloyd] [--json]
                    [--out CLUSTERED.csv] [--model MODEL.json] [CATALOG OPTIONS]
  reelmeans recommend CATALOG --title TITLE [--n N] [--k K] [--seed S] [--json] [CATALOG OPTIONS]
  reelmeans elbow CATALOG --k-min A --k-max B [--seed S] [--json] [CATALOG OPTIONS]
  reelmeans evaluate RATINGS --catalog CATALOG [--links links.csv] [--user-k N]
                    [--item-k N] [--seed S] [--seeds N] [--taste-weight W] [--factors N]
                    [--ranking nearest|blend=B] [--json]   offline evaluation (see README)
  reelmeans users INTERACTIONS --catalog ITEMS --user ID [--features means|binary]
                    [--user-k N] [--n N] [--json]      the course recommender for one user
  reelmeans roles CATALOG                 print the inferred column roles
  reelmeans parse CATALOG [--whole-table]  read a catalog and report it (for checking files
                                          and measuring memory: record by record, or as a table)
  reelmeans prepare TMDB.csv --out CATALOG.csv [--interactions ratings.csv [--links links.csv]]
                    [--factors N] [--seed S]   write the app's trimmed default catalog, with
                                               taste factors learnt from the interactions

CATALOG OPTIONS:
  --ratings FILE          MovieLens ratings.csv or IMDb title.ratings.tsv to join
  --role COLUMN=ROLE      override an inferred role (ignore, id, title, year, genres,
                          genre-flag, language, runtime, rating, votes, popularity,
                          number, category)
  --scaling minmax|zscore --clip-outliers --weight GROUP=W (taste, genres, era,
                          popularity, rating, runtime, language, other)";

    #[derive(Default)]
    struct Args {
        command: String,
        input: Option<PathBuf>,
        matrix: Option<PathBuf>,
        ratings: Option<PathBuf>,
        out: Option<PathBuf>,
        model: Option<PathBuf>,
        roles: Vec<(String, ColumnRole)>,
        spec: FeatureSpec,
        k: Option<usize>,
        seed: Option<u64>,
        n_init: Option<usize>,
        max_iter: Option<usize>,
        tol: Option<f64>,
        algorithm: Option<Algorithm>,
        json: bool,
        title: Option<String>,
        n: usize,
        k_min: Option<usize>,
        k_max: Option<usize>,
        catalog: Option<PathBuf>,
        links: Option<PathBuf>,
        user: Option<String>,
        user_k: Option<usize>,
        item_k: Option<usize>,
        binary: bool,
        whole_table: bool,
        interactions: Option<PathBuf>,
        seeds: Option<usize>,
        taste_weight: Option<f32>,
        factors: Option<usize>,
        ranking: Option<Ranking>,
    }

    fn number<T: std::str::FromStr>(parser: &mut lexopt::Parser, flag: &str) -> Result<T, String> {
        let value = parser.value().map_err(|e| e.to_string())?;
        let text = value.string().map_err(|e| e.to_string())?;
        text.parse()
            .map_err(|_| format!("{flag} expects a number, got '{text}'"))
    }

    fn parse(args: Vec<OsString>) -> Result<Args, String> {
        let mut p = lexopt::Parser::from_args(args);
        let mut a = Args {
            n: 10,
            ..Args::default()
        };
        let err = |e: lexopt::Error| e.to_string();
        while let Some(arg) = p.next().map_err(err)? {
            match arg {
                Short('h') | Long("help") => return Err(USAGE.into()),
                Long("out") | Short('o') => a.out = Some(p.value().map_err(err)?.into()),
                Long("matrix") => a.matrix = Some(p.value().map_err(err)?.into()),
                Long("ratings") => a.ratings = Some(p.value().map_err(err)?.into()),
                Long("model") => a.model = Some(p.value().map_err(err)?.into()),
                Long("k") | Short('k') => a.k = Some(number(&mut p, "--k")?),
                Long("seed") => a.seed = Some(number(&mut p, "--seed")?),
                Long("n-init") => a.n_init = Some(number(&mut p, "--n-init")?),
                Long("max-iter") => a.max_iter = Some(number(&mut p, "--max-iter")?),
                Long("tol") => a.tol = Some(number(&mut p, "--tol")?),
                Long("n") | Short('n') => a.n = number(&mut p, "--n")?,
                Long("k-min") => a.k_min = Some(number(&mut p, "--k-min")?),
                Long("k-max") => a.k_max = Some(number(&mut p, "--k-max")?),
                Long("json") => a.json = true,
                Long("whole-table") => a.whole_table = true,
                Long("catalog") => a.catalog = Some(p.value().map_err(err)?.into()),
                Long("links") => a.links = Some(p.value().map_err(err)?.into()),
                Long("user") => a.user = Some(p.value().map_err(err)?.string().map_err(err)?),
                Long("user-k") => a.user_k = Some(number(&mut p, "--user-k")?),
                Long("item-k") => a.item_k = Some(number(&mut p, "--item-k")?),
                Long("interactions") => a.interactions = Some(p.value().map_err(err)?.into()),
                Long("seeds") => a.seeds = Some(number(&mut p, "--seeds")?),
                Long("taste-weight") => a.taste_weight = Some(number(&mut p, "--taste-weight")?),
                Long("factors") => a.factors = Some(number(&mut p, "--factors")?),
                Long("ranking") => {
                    let v = p.value().map_err(err)?.string().map_err(err)?;
                    a.ranking = Some(match v.split_once('=') {
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
                Long("features") => {
                    a.binary = match p.value().map_err(err)?.string().map_err(err)?.as_str() {
                        "means" => false,
                        "binary" => true,
                        other => {
                            return Err(format!(
                                "--features must be means or binary, not '{other}'"
                            ))
                        }
                    }
                }
                Long("clip-outliers") => a.spec.clip_outliers = true,
                Long("title") => a.title = Some(p.value().map_err(err)?.string().map_err(err)?),
                Long("algorithm") => {
                    a.algorithm = Some(
                        match p.value().map_err(err)?.string().map_err(err)?.as_str() {
                            "lloyd" => Algorithm::Lloyd,
                            "hamerly" | "elkan" => Algorithm::Hamerly,
                            other => {
                                return Err(format!(
                                    "--algorithm must be hamerly or lloyd, not '{other}'"
                                ))
                            }
                        },
                    )
                }
                Long("scaling") => {
                    a.spec.scaling = match p.value().map_err(err)?.string().map_err(err)?.as_str() {
                        "minmax" => Scaling::MinMax,
                        "zscore" => Scaling::ZScore,
                        other => {
                            return Err(format!(
                                "--scaling must be minmax or zscore, not '{other}'"
                            ))
                        }
                    }
                }
                Long("weight") => {
                    let v = p.value().map_err(err)?.string().map_err(err)?;
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
                    a.spec.weights.set(group, w);
                }
                Long("role") => {
                    let v = p.value().map_err(err)?.string().map_err(err)?;
                    let (col, role) = v
                        .split_once('=')
                        .ok_or(format!("--role expects COLUMN=ROLE, got '{v}'"))?;
                    let role =
                        ColumnRole::from_name(role).ok_or(format!("unknown role '{role}'"))?;
                    a.roles.push((col.to_string(), role));
                }
                Value(v) if a.command.is_empty() => a.command = v.string().map_err(err)?,
                Value(v) if a.input.is_none() => a.input = Some(v.into()),
                other => return Err(other.unexpected().to_string()),
            }
        }
        Ok(a)
    }

    fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }

    fn write(path: &PathBuf, text: &str) -> Result<(), String> {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    fn load_catalog(a: &Args) -> Result<Catalog, String> {
        let path = a.input.as_ref().ok_or("a CATALOG file is required")?;
        if a.roles.is_empty() {
            let (catalog, _) = Catalog::parse_streaming(read(path)?, None, &mut |_| {})
                .map_err(|e| format!("{}: {e}", path.display()))?;
            return finish_catalog(a, catalog);
        }
        let table = Table::parse(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut roles = infer_roles(&table.headers, &table.rows);
        for (col, role) in &a.roles {
            let i = table.column(col).ok_or(format!(
                "--role: no column named '{col}' (columns: {})",
                table.headers.join(", ")
            ))?;
            roles[i] = *role;
        }
        let catalog =
            Catalog::from_table(&table, &roles).map_err(|e| format!("{}: {e}", path.display()))?;
        finish_catalog(a, catalog)
    }

    /// Joins the ratings file, if any, and reports rows left out.
    fn finish_catalog(a: &Args, mut catalog: Catalog) -> Result<Catalog, String> {
        if let Some(r) = &a.ratings {
            let joined = catalog
                .attach_ratings(&read(r)?)
                .map_err(|e| format!("{}: {e}", r.display()))?;
            eprintln!("joined ratings for {joined} of {} titles", catalog.len());
            match reelmeans::taste::learn_from_ratings_file(&mut catalog, &read(r)?, &mut |_| {}) {
                Some(Ok(summary)) => eprintln!("{}", summary.describe()),
                Some(Err(e)) => eprintln!("no taste factors: {e}"),
                None => {}
            }
        }
        if catalog.issues.total > 0 {
            eprintln!(
                "left out {} rows: {}",
                catalog.issues.total,
                catalog.issues.summary()
            );
        }
        Ok(catalog)
    }

    fn params(a: &Args, default_k: usize) -> KMeansParams {
        let mut p = KMeansParams::new(a.k.unwrap_or(default_k)).seed(a.seed.unwrap_or(42));
        if let Some(n) = a.n_init {
            p = p.n_init(n);
        }
        if let Some(m) = a.max_iter {
            p = p.max_iter(m);
        }
        if let Some(t) = a.tol {
            p = p.tolerance(t);
        }
        if let Some(alg) = a.algorithm {
            p = p.algorithm(alg);
        }
        p
    }

    fn read_matrix(path: &PathBuf) -> Result<Array2<f32>, String> {
        let table = Table::parse(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
        if table.issues.total > 0 {
            return Err(format!(
                "{}: {}",
                path.display(),
                table.issues.examples[0].reason
            ));
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

    pub fn run(args: Vec<OsString>) -> Result<(), String> {
        let a = parse(args)?;
        match a.command.as_str() {
            "features" => {
                let catalog = load_catalog(&a)?;
                let pipeline =
                    FeaturePipeline::fit(&catalog, &a.spec).map_err(|e| e.to_string())?;
                let out = a.out.as_ref().ok_or("features needs --out MATRIX.csv")?;
                write(
                    out,
                    &matrix_csv(&pipeline.names(), &pipeline.transform(&catalog)),
                )?;
                eprintln!(
                    "wrote {} rows × {} features to {}",
                    catalog.len(),
                    pipeline.columns().len(),
                    out.display()
                );
            }
            "cluster" => cluster(&a)?,
            "evaluate" => evaluate(&a)?,
            "users" => users(&a)?,
            "recommend" => recommend(&a)?,
            "elbow" => {
                let catalog = load_catalog(&a)?;
                let pipeline =
                    FeaturePipeline::fit(&catalog, &a.spec).map_err(|e| e.to_string())?;
                let matrix = pipeline.transform(&catalog);
                let (k_min, k_max) = (a.k_min.unwrap_or(2), a.k_max.unwrap_or(30));
                let points = elbow(
                    matrix.view(),
                    k_min,
                    k_max,
                    &params(&a, 1),
                    1000,
                    &mut |_| {},
                )
                .map_err(|e| e.to_string())?;
                let suggested = suggest_k(&points);
                if a.json {
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
            }
            "parse" => {
                let path = a.input.as_ref().ok_or("a CATALOG file is required")?;
                let start = Instant::now();
                let catalog = if a.whole_table {
                    let table = Table::parse(&read(path)?).map_err(|e| e.to_string())?;
                    Catalog::from_table(&table, &infer_roles(&table.headers, &table.rows))
                        .map_err(|e| e.to_string())?
                } else {
                    Catalog::parse_streaming(read(path)?, None, &mut |_| {})
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
            }
            "roles" => {
                let path = a.input.as_ref().ok_or("a CATALOG file is required")?;
                let table = Table::parse(&read(path)?).map_err(|e| e.to_string())?;
                for (h, r) in table
                    .headers
                    .iter()
                    .zip(infer_roles(&table.headers, &table.rows))
                {
                    println!("{h}\t{}", r.name());
                }
            }
            "prepare" => {
                let mut catalog = load_catalog(&a)?;
                let out = a.out.as_ref().ok_or("prepare needs --out CATALOG.csv")?;
                if let Some(path) = &a.interactions {
                    let links = match &a.links {
                        Some(l) => Some(
                            read_links(&read(l)?).map_err(|e| format!("{}: {e}", l.display()))?,
                        ),
                        None => None,
                    };
                    let interactions = Interactions::parse(&read(path)?, &catalog, links.as_ref())
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    let params = TasteParams {
                        factors: a.factors.unwrap_or(TasteParams::default().factors),
                        seed: a.seed.unwrap_or(42),
                        ..TasteParams::default()
                    };
                    let summary = learn_for_catalog(
                        &mut catalog,
                        &interactions.records,
                        &params,
                        &mut |_| {},
                    )
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
            }
            "" => return Err(USAGE.into()),
            other => return Err(format!("unknown command '{other}'\n{USAGE}")),
        }
        Ok(())
    }

    fn cluster(a: &Args) -> Result<(), String> {
        let k = a.k.ok_or("cluster needs --k K")?;
        if let Some(path) = &a.matrix {
            let matrix = read_matrix(path)?;
            let p = params(a, k);
            let start = Instant::now();
            let model = p.fit(matrix.view()).map_err(|e| e.to_string())?;
            let seconds = start.elapsed().as_secs_f64();
            let summary = serde_json::json!({
                "k": k, "rows": matrix.nrows(), "columns": matrix.ncols(),
                "iterations": model.iterations(), "inertia": model.inertia(), "seconds": seconds,
                "distance_computations": model.distance_computations(),
                "algorithm": format!("{:?}", p.get_algorithm()).to_lowercase(),
            });
            print_summary(a.json, &summary);
            return Ok(());
        }
        let catalog = load_catalog(a)?;
        let start = Instant::now();
        let data = ClusteredCatalog::build(catalog, &a.spec, &params(a, k), &mut |_| {})
            .map_err(|e| e.to_string())?;
        let seconds = start.elapsed().as_secs_f64();
        let summary = serde_json::json!({
            "k": k, "rows": data.matrix.nrows(), "columns": data.matrix.ncols(),
            "iterations": data.model.iterations(), "inertia": data.model.inertia(),
            "seconds": seconds, "cluster_sizes": data.cluster_sizes(),
            "distance_computations": data.model.distance_computations(),
        });
        print_summary(a.json, &summary);
        if let Some(out) = &a.out {
            write(out, &clustered_csv(&data))?;
        }
        if let Some(model) = &a.model {
            write(model, &SavedModel::from_clustered(&data).to_json())?;
        }
        Ok(())
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

    /// The item catalog and the interactions joined to it.
    fn load_interactions(a: &Args) -> Result<(Catalog, Interactions), String> {
        let path = a.input.as_ref().ok_or("an interactions file is required")?;
        let catalog_path = a
            .catalog
            .as_ref()
            .ok_or("--catalog ITEMS.csv is required (the items the interactions refer to)")?;
        let catalog = Catalog::parse(&read(catalog_path)?)
            .map_err(|e| format!("{}: {e}", catalog_path.display()))?;
        let links = match &a.links {
            Some(l) => Some(read_links(&read(l)?).map_err(|e| format!("{}: {e}", l.display()))?),
            None => None,
        };
        let interactions = Interactions::parse(&read(path)?, &catalog, links.as_ref())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if interactions.issues.total > 0 {
            eprintln!(
                "left out {} interactions: {}",
                interactions.issues.total,
                interactions.issues.summary()
            );
        }
        Ok((catalog, interactions))
    }

    fn evaluate(a: &Args) -> Result<(), String> {
        let (catalog, interactions) = load_interactions(a)?;
        let defaults = EvalSettings::default();
        let settings = EvalSettings {
            user_k: a.user_k.unwrap_or(defaults.user_k),
            item_k: a.item_k.unwrap_or(defaults.item_k),
            seed: a.seed.unwrap_or(defaults.seed),
            taste_weight: a.taste_weight.unwrap_or(defaults.taste_weight),
            factors: a.factors.unwrap_or(defaults.factors),
            ranking: a.ranking.unwrap_or(defaults.ranking),
        };
        let seeds: Vec<u64> = (0..a.seeds.unwrap_or(5).max(1) as u64)
            .map(|i| settings.seed + i)
            .collect();
        let start = Instant::now();
        let summaries =
            reelmeans::evaluate::evaluate_seeds(&catalog, &interactions, &settings, &seeds)
                .map_err(|e| e.to_string())?;
        if a.json {
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

    fn users(a: &Args) -> Result<(), String> {
        let (catalog, interactions) = load_interactions(a)?;
        let user = a.user.as_ref().ok_or("users needs --user ID")?;
        let index = interactions
            .users
            .iter()
            .position(|u| u == user)
            .ok_or(format!("no user '{user}' in the interactions"))?;
        let features = if a.binary {
            UserFeatures::Binary
        } else {
            UserFeatures::CategoryMeans
        };
        let params = KMeansParams::new(a.user_k.unwrap_or(4))
            .seed(a.seed.unwrap_or(42))
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
        let recs = clusters.recommend(index, a.n);
        let profile = clusters.profile(cluster, 3);
        if a.json {
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
                    catalog.movies[*item as usize].title
                );
            }
        }
        Ok(())
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

    fn recommend(a: &Args) -> Result<(), String> {
        let title = a.title.as_ref().ok_or("recommend needs --title TITLE")?;
        let catalog = load_catalog(a)?;
        let k =
            a.k.unwrap_or_else(|| reelmeans::clustered::default_k(catalog.len()));
        let data = ClusteredCatalog::build(catalog, &a.spec, &params(a, k), &mut |_| {})
            .map_err(|e| e.to_string())?;
        let index = TitleIndex::new(&data.catalog.movies);
        let hits = index.search(title, 5);
        let Some(hit) = hits.first() else {
            return Err(format!("no title matches '{title}'"));
        };
        let movies = &data.catalog.movies;
        if hit.kind == reelmeans::search::MatchKind::Fuzzy {
            eprintln!(
                "no exact match for '{title}'; did you mean '{}'?",
                movies[hit.index].title
            );
        }
        let recs = Recommender::new(&data).similar_to(hit.index, a.n, &HashSet::new());
        let chosen = &movies[hit.index];
        if a.json {
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
