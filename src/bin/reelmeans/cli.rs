//! The usage text, and the dispatch of a command line to its command.

use crate::args::{next, parse_into, Token};
use crate::cluster::Cluster;
use crate::elbow::Elbow;
use crate::error::CliError;
use crate::evaluate::{Evaluate, Kept};
use crate::features::Features;
use crate::parse::Parse;
use crate::prepare::Prepare;
use crate::recommend::Recommend;
use crate::roles::Roles;
use crate::spec::Spec;
use crate::users::Users;
use std::ffi::OsString;

pub(crate) const USAGE: &str = "usage:
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
  reelmeans recommend CATALOG --history FILE [--n N] [--exclude-genre G]... [--years FROM-TO]
                    [--max-runtime MIN] [--json]
                    titles for a person, from their Letterboxd, IMDb, Trakt or Netflix export
  reelmeans elbow CATALOG --k-min A --k-max B [--seed S] [--json] [CATALOG OPTIONS]
  reelmeans evaluate RATINGS --catalog CATALOG [--links links.csv] [--user-k N]
                    [--item-k N] [--seed S] [--seeds N] [--taste-weight W] [--factors N]
                    [--ranking nearest|blend=B] [--prepared MODEL.json] [--json]
                    offline evaluation (docs/taste-and-evaluation.md); --prepared adds the
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

/// Entry point: runs one command line.
pub(crate) fn run(args: Vec<OsString>) -> Result<(), CliError> {
    let mut p = lexopt::Parser::from_args(args);
    let command = match next(&mut p)? {
        None => return Err(USAGE.into()),
        Some(Token::Flag(name, _)) if name == "help" => return help(),
        Some(Token::Flag(name, _)) if name == "version" => {
            println!("reelmeans {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        Some(Token::Flag(_, written)) => {
            return Err(format!("unknown option {written} before the command\n{USAGE}").into())
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
        "recommend" => dispatch!(Recommend::new()),
        "elbow" => dispatch!(Elbow::default()),
        "evaluate" => dispatch!(Evaluate::default()),
        "kept" => dispatch!(Kept::default()),
        "users" => dispatch!(Users::new()),
        "roles" => dispatch!(Roles::default()),
        "parse" => dispatch!(Parse::default()),
        "prepare" => dispatch!(Prepare::default()),
        "spec" => dispatch!(Spec::default()),
        "help" => help(),
        other => Err(format!("unknown command '{other}'\n{USAGE}").into()),
    }
}

fn help() -> Result<(), CliError> {
    println!("{USAGE}");
    Ok(())
}
