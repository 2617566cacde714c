//! `reelmeans elbow`: inertia and silhouette over a range of k.

use crate::args::{number, Flags};
use crate::error::CliError;
use crate::inputs::{CatalogArgs, KMeansArgs};
use reelmeans::{elbow, suggest_k, FeaturePipeline};
use std::ffi::OsString;

/// `elbow`: inertia and silhouette for a range of k.
#[derive(Default)]
pub(crate) struct Elbow {
    catalog: CatalogArgs,
    kmeans: KMeansArgs,
    k_min: Option<usize>,
    k_max: Option<usize>,
    json: bool,
}

impl Flags for Elbow {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "k-min" => self.k_min = Some(number(p, "k-min")?),
            "k-max" => self.k_max = Some(number(p, "k-max")?),
            "json" => self.json = true,
            _ => return Ok(self.kmeans.flag(name, p, false)? || self.catalog.flag(name, p)?),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        self.catalog.positional(value)
    }
}

impl Elbow {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let catalog = self.catalog.load()?;
        let pipeline = FeaturePipeline::fit(&catalog, &self.catalog.spec)?;
        let matrix = pipeline.transform(&catalog);
        let (k_min, k_max) = (self.k_min.unwrap_or(2), self.k_max.unwrap_or(30));
        let points = elbow(
            matrix.view(),
            k_min,
            k_max,
            &self.kmeans.params(1),
            1000,
            &mut |_| {},
        )?;
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
