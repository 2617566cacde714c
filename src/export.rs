//! Exports as CSV, with spreadsheet formulas neutralised: the catalog with
//! `cluster` and `distance` columns (as the tutorials produced), a catalog
//! as the app's default catalog is written, and the scaled feature matrix.
//! The fitted model's JSON is `crate::model`'s; the matrix as `.npy` is
//! `crate::npy`'s.

use crate::catalog::{Catalog, CatalogError, Movie, Source};
use crate::clustered::ClusteredCatalog;
use crate::table::Record;
use ndarray::Array2;

/// A cell that a spreadsheet would run as a formula gets a leading `'`.
///
/// ```
/// use reelmeans::neutralise_formula;
/// assert_eq!(neutralise_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise_formula("-5"), "-5");
/// assert_eq!(neutralise_formula("Alien"), "Alien");
/// ```
pub fn neutralise_formula(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn write_row(out: &mut csv::Writer<Vec<u8>>, cells: &[String]) {
    // Writing to a Vec<u8> cannot fail.
    let _ = out.write_record(cells.iter().map(|c| neutralise_formula(c)));
}

/// The text a CSV writer over bytes wrote (writing to a `Vec<u8>` cannot fail).
pub(crate) fn finish(out: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A movie's own cells, in the order both catalog writers begin with: id,
/// title, year, genres, language, runtime, rating, votes.
fn movie_cells(m: &Movie) -> Vec<String> {
    vec![
        m.id.clone(),
        m.title.clone(),
        opt(m.year),
        m.genres.join("|"),
        opt(m.language.clone()),
        opt(m.runtime),
        opt(m.rating),
        opt(m.votes),
    ]
}

/// The clustered catalog as CSV: the movie's columns plus `cluster` and `distance`.
pub fn clustered_csv(data: &ClusteredCatalog) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut out,
        &[
            "id", "title", "year", "genres", "language", "runtime", "rating", "votes", "cluster",
            "distance",
        ]
        .map(String::from),
    );
    for (i, m) in data.catalog().movies().iter().enumerate() {
        let mut cells = movie_cells(m);
        cells.extend([
            data.cluster_of(i).to_string(),
            format!("{:.6}", data.distances()[i]),
        ]);
        write_row(&mut out, &cells);
    }
    finish(out)
}

/// The catalog as the app's default catalog is written (`reelmeans
/// prepare`): an id named for its source, title, year, genres, language,
/// runtime, rating, votes and popularity, then its taste factors (two
/// decimals) and whether each title's were borrowed.
pub fn prepared_csv(catalog: &Catalog) -> String {
    let dims = catalog.taste_dims();
    let mut out = csv::Writer::from_writer(Vec::new());
    let id_column = match catalog.source {
        Source::Tmdb => "tmdb_id",
        Source::MovieLens => "movieId",
        Source::Imdb => "tconst",
        Source::Other => "id",
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
    let imdb = catalog.source != Source::Imdb && catalog.movies().iter().any(|m| m.imdb.is_some());
    if imdb {
        head.insert(1, "imdb_id".into());
    }
    head.extend((1..=dims).map(|i| format!("taste_{i}")));
    if dims > 0 {
        head.push("taste_borrowed".into());
    }
    write_row(&mut out, &head);
    for m in catalog.movies() {
        let mut record = movie_cells(m);
        if imdb {
            record.insert(1, m.imdb.clone().unwrap_or_default());
        }
        record.push(m.popularity.map(|p| format!("{p:.3}")).unwrap_or_default());
        record.extend((0..dims).map(|f| m.taste.get(f).map_or(String::new(), |&x| factor(x))));
        if dims > 0 {
            record.push(if m.taste_borrowed { "1" } else { "0" }.into());
        }
        write_row(&mut out, &record);
    }
    finish(out)
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

/// The clustered catalog as the file it was read from: every column of
/// `text` (the catalog's own bytes, as [`Catalog::parse_streaming`] read
/// them) kept as it is, plus `cluster` and `distance`. Values a file
/// already had in columns of those names are replaced. Rows that did not
/// become titles (their reasons are in the catalog's notes) are left out,
/// so the export lists the titles that were clustered, in file order.
pub fn clustered_file_csv(text: Vec<u8>, data: &ClusteredCatalog) -> Result<String, CatalogError> {
    let (lines, movies) = (data.catalog().lines(), data.catalog().movies());
    if lines.len() != data.catalog().len() {
        return Err(CatalogError::Unreadable(
            "this catalog does not record where its rows came from".into(),
        ));
    }
    let (text, _) = crate::table::decode_owned(text)?;
    let delimiter = crate::table::detect_delimiter(&text);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut added = (0, 0);
    let mut next = 0;
    crate::table::scan(&text, delimiter, |record| {
        match record {
            Record::Header(mut headers) => {
                let mut column = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h.eq_ignore_ascii_case(name))
                        .unwrap_or_else(|| {
                            headers.push(name.to_string());
                            headers.len() - 1
                        })
                };
                added = (column("cluster"), column("distance"));
                write_row(&mut out, &headers);
            }
            // The row on the movie's line, holding its title (a file changed
            // since it was read must not lend its rows to other titles).
            Record::Row(line, cells)
                if lines.get(next) == Some(&line)
                    && cells.iter().any(|c| c.contains(&movies[next].title)) =>
            {
                let mut row: Vec<String> = cells.iter().map(str::to_string).collect();
                row.resize(row.len().max(added.0.max(added.1) + 1), String::new());
                row[added.0] = data.cluster_of(next).to_string();
                row[added.1] = format!("{:.6}", data.distances()[next]);
                write_row(&mut out, &row);
                next += 1;
            }
            Record::Row(..) => {}
        }
        Ok::<(), CatalogError>(())
    })?;
    if next != lines.len() {
        return Err(CatalogError::Unreadable(format!(
            "the file no longer matches the catalog: {} of its {} titles were found in it (was it changed since it was opened?)",
            next,
            lines.len()
        )));
    }
    Ok(finish(out))
}

/// The scaled feature matrix as CSV with a header of feature names.
pub fn matrix_csv(names: &[String], matrix: &Array2<f32>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    write_row(&mut out, names);
    for row in matrix.rows() {
        let cells: Vec<String> = row.iter().map(|x| x.to_string()).collect();
        let _ = out.write_record(&cells);
    }
    finish(out)
}
