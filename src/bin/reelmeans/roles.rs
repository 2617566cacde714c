//! `reelmeans roles`: the inferred column roles and how each column reads.

use crate::args::{one_input, Flags};
use crate::error::{at, CliError};
use crate::inputs::read_catalog;
use reelmeans::{inspect, InputFile};
use std::ffi::OsString;
use std::path::PathBuf;

/// `roles`: the column roles a file would be read with.
#[derive(Default)]
pub(crate) struct Roles {
    path: Option<PathBuf>,
}

impl Flags for Roles {
    fn flag(&mut self, _: &str, _: &mut lexopt::Parser) -> Result<bool, CliError> {
        Ok(false)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        one_input(&mut self.path, value)
    }
}

impl Roles {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let path = self.path.as_ref().ok_or("a CATALOG file is required")?;
        let bytes = read_catalog(path)?;
        let seen =
            inspect(InputFile::new(bytes.as_slice(), bytes.len() as u64)).map_err(at(path))?;
        // The column, its role, and how its values read under that role
        // (the mapping table's "Read as").
        for ((h, r), reading) in seen.headers.iter().zip(seen.roles).zip(&seen.readings) {
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
