//! `reelmeans features`: the scaled matrix of a catalog.

use crate::args::{path, Flags};
use crate::cluster::is_npy;
use crate::error::{unwritable, CliError};
use crate::inputs::{write, CatalogArgs};
use reelmeans::{matrix_csv, matrix_npy, FeaturePipeline};
use std::ffi::OsString;
use std::path::PathBuf;

/// `features`: the scaled matrix of a catalog.
#[derive(Default)]
pub(crate) struct Features {
    catalog: CatalogArgs,
    out: Option<PathBuf>,
}

impl Flags for Features {
    fn flag(&mut self, name: &str, p: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "out" => self.out = Some(path(p)?),
            _ => return self.catalog.flag(name, p),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        self.catalog.positional(value)
    }
}

impl Features {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let out = self.out.as_ref().ok_or("features needs --out MATRIX.csv")?;
        let catalog = self.catalog.load()?;
        let pipeline = FeaturePipeline::fit(&catalog, &self.catalog.spec)?;
        let matrix = pipeline.transform(&catalog);
        if is_npy(out) {
            std::fs::write(out, matrix_npy(&matrix)).map_err(unwritable(out))?;
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
