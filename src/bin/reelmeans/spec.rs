//! `reelmeans spec`: the feature pipeline fitted to a catalog, as the Spark job reads it.

use crate::args::{number, path, Flags};
use crate::error::CliError;
use crate::inputs::{write, CatalogArgs};
use reelmeans::FeaturePipeline;
use std::ffi::OsString;
use std::path::PathBuf;

/// `spec`: the fitted feature pipeline, for the Spark job.
#[derive(Default)]
pub(crate) struct Spec {
    catalog: CatalogArgs,
    out: Option<PathBuf>,
    taste_factors: Option<usize>,
}

impl Flags for Spec {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "out" => self.out = Some(path(p)?),
            "taste-factors" => self.taste_factors = Some(number(p, "taste-factors")?),
            _ => return self.catalog.flag(name, p),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        self.catalog.positional(value)
    }
}

impl Spec {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let out = self.out.as_ref().ok_or("spec needs --out SPEC.json")?;
        let catalog = self.catalog.load()?;
        let mut pipeline = FeaturePipeline::fit(&catalog, &self.catalog.spec)?;
        if let Some(n) = self.taste_factors {
            pipeline = pipeline.with_taste_factors(n);
        }
        let spec = serde_json::json!({
            "version": reelmeans::MODEL_VERSION,
            "pipeline": pipeline,
        });
        write(out, &format!("{spec:#}"))?;
        eprintln!(
            "wrote the pipeline of {} feature columns fitted to {} titles to {}",
            pipeline.columns().len(),
            catalog.len(),
            out.display()
        );
        Ok(())
    }
}
