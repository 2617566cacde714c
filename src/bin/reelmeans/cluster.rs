//! `reelmeans cluster`: k-means on a catalog, on a matrix, or a saved model's clusters.

use crate::args::{path, Flags};
use crate::error::{at, CliError};
use crate::inputs::{print_summary, read, read_model, write, CatalogArgs, KMeansArgs};
use ndarray::Array2;
use reelmeans::{clustered_csv, matrix_csv, read_npy, ClusteredCatalog, FitProgress, Table};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

/// `cluster`: k-means on a catalog, or on a matrix written by `features`.
#[derive(Default)]
pub(crate) struct Cluster {
    catalog: CatalogArgs,
    matrix: Option<PathBuf>,
    kmeans: KMeansArgs,
    json: bool,
    out: Option<PathBuf>,
    model: Option<PathBuf>,
    from_model: Option<PathBuf>,
}

impl Flags for Cluster {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
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
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        self.catalog.positional(value)
    }
}

impl Cluster {
    pub(crate) fn run(self) -> Result<(), CliError> {
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
        let model = p.fit_with_progress(matrix.view(), &mut |fit| {
            stages.saw(match fit {
                FitProgress::Seeding { .. } => reelmeans::Stage::Seeding(0.0),
                FitProgress::Assigning { iteration, .. }
                | FitProgress::Iteration { iteration, .. } => {
                    reelmeans::Stage::Clustering(iteration)
                }
            })
        })?;
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

    fn run_on_catalog(&self, k: usize) -> Result<(), CliError> {
        let reading = Instant::now();
        let catalog = self.catalog.load()?;
        let read_seconds = reading.elapsed().as_secs_f64();
        let params = self.kmeans.params(k);
        let start = Instant::now();
        let mut stages = StageClock::default();
        let data = ClusteredCatalog::build(catalog, &self.catalog.spec, &params, &mut |stage| {
            stages.saw(stage)
        })?;
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
            write(model, &data.saved_model().to_json())?;
        }
        Ok(())
    }
}

impl Cluster {
    /// `cluster CATALOG --from-model MODEL.json`.
    fn run_with_model(&self, model: &PathBuf) -> Result<(), CliError> {
        if self.matrix.is_some() || self.kmeans.k.is_some() || self.model.is_some() {
            return Err("--from-model takes its k and centroids from the model: give it no --matrix, --k or --model".into());
        }
        let saved = read_model(model)?;
        let catalog = self.catalog.load()?;
        let start = Instant::now();
        let data =
            ClusteredCatalog::with_model(catalog, &saved, 42, &mut |_| {}).map_err(at(model))?;
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

/// Seconds spent in each stage of a build, keyed by the stage's name.
/// k-means is timed from its first seeding report to the projection, the
/// same two reports the browser's worker times it between.
#[derive(Default)]
pub(crate) struct StageClock {
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
pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}

pub(crate) fn read_matrix_header(path: &PathBuf) -> Result<Vec<String>, CliError> {
    Ok(Table::parse(&read(path)?).map_err(at(path))?.headers)
}

pub(crate) fn is_npy(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
}

/// A matrix from CSV text (a header of names, then numbers) or a float32 `.npy` file.
pub(crate) fn read_matrix(path: &PathBuf) -> Result<Array2<f32>, CliError> {
    if is_npy(path) {
        let matrix = read_npy(&read(path)?).map_err(at(path))?;
        return Ok(matrix);
    }
    let table = Table::parse(&read(path)?).map_err(at(path))?;
    if table.issues.total > 0 {
        return Err(CliError::Malformed {
            path: path.clone(),
            why: table.issues.examples[0].to_string(),
        });
    }
    let d = table.headers.len();
    let mut values = Vec::with_capacity(table.rows.len() * d);
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let v: f32 = cell.trim().parse().map_err(|_| CliError::Malformed {
                path: path.clone(),
                why: format!(
                    "line {}, column '{}': '{cell}' is not a number",
                    row.line, table.headers[c]
                ),
            })?;
            values.push(v);
        }
    }
    Array2::from_shape_vec((table.rows.len(), d), values).map_err(|e| CliError::Malformed {
        path: path.clone(),
        why: e.to_string(),
    })
}
