//! Writes a seeded stand-in for IMDb's dumps, at full scale by default:
//!
//! ```sh
//! cargo run --release --example imdb_standin -- DIR [--titles N] [--seed S]
//! ```
//!
//! `DIR/title.basics.tsv.gz` and `DIR/title.ratings.tsv.gz`, in IMDb's
//! exact format (see `standin.rs`), for trying and benchmarking the IMDb
//! path without the real files.

mod standin;

use standin::{write_gzipped_pair, StandinParams};
use std::path::PathBuf;

fn main() {
    if let Err(message) = run(std::env::args().skip(1)) {
        eprintln!("imdb_standin: {message}");
        std::process::exit(2);
    }
}

fn run(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let mut params = StandinParams::default();
    let mut dir = None;
    while let Some(arg) = args.next() {
        let mut number = |flag: &str| {
            let value = args.next().ok_or(format!("{flag} needs a number"))?;
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag} expects a number, got '{value}'"))
        };
        match arg.as_str() {
            "--titles" => params.titles = number("--titles")? as usize,
            "--seed" => params.seed = number("--seed")?,
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => {
                return Err(format!(
                    "unexpected argument '{arg}' (usage: DIR [--titles N] [--seed S])"
                ))
            }
        }
    }
    let dir = dir.ok_or("usage: imdb_standin DIR [--titles N] [--seed S]")?;
    let summary = write_gzipped_pair(&dir, params)
        .map_err(|e| format!("cannot write to {}: {e}", dir.display()))?;
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
