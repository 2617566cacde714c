//! Exports: the catalog with `cluster` and `distance` columns as CSV (as
//! the tutorials produced), the scaled feature matrix, and the fitted model
//! (feature pipeline + centroids) as JSON that loads back and assigns the
//! same clusters.

use crate::catalog::{Catalog, CatalogError, Source};
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
        write_row(
            &mut out,
            &[
                m.id.clone(),
                m.title.clone(),
                opt(m.year),
                m.genres.join("|"),
                opt(m.language.clone()),
                opt(m.runtime),
                opt(m.rating),
                opt(m.votes),
                data.cluster_of(i).to_string(),
                format!("{:.6}", data.distances()[i]),
            ],
        );
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
    head.extend((1..=dims).map(|i| format!("taste_{i}")));
    if dims > 0 {
        head.push("taste_borrowed".into());
    }
    write_row(&mut out, &head);
    for m in catalog.movies() {
        let mut record = vec![
            m.id.clone(),
            m.title.clone(),
            opt(m.year),
            m.genres.join("|"),
            opt(m.language.clone()),
            opt(m.runtime),
            opt(m.rating),
            opt(m.votes),
            m.popularity.map(|p| format!("{p:.3}")).unwrap_or_default(),
        ];
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

/// The matrix as a NumPy `.npy` file (format 1.0, little-endian f32, C
/// order): every value exactly as computed, which text with a fixed number of
/// digits does not promise, and what `numpy.load` reads directly.
pub fn matrix_npy(matrix: &Array2<f32>) -> Vec<u8> {
    let (rows, cols) = matrix.dim();
    let mut header =
        format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    // Magic (6) + version (2) + length (2) + header, padded to 64 bytes, ending in a newline.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + rows * cols * 4);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for x in matrix.iter() {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// Why a `.npy` file cannot be read as a 2-D float32 matrix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct NpyError(String);

/// Reads a 2-D little-endian f32 `.npy` file (what [`matrix_npy`] and
/// `numpy.save` of a float32 array write).
pub fn read_npy(bytes: &[u8]) -> Result<Array2<f32>, NpyError> {
    read_npy_text(bytes).map_err(NpyError)
}

fn read_npy_text(bytes: &[u8]) -> Result<Array2<f32>, String> {
    let rest = bytes
        .strip_prefix(b"\x93NUMPY")
        .ok_or("not a .npy file (it does not start with \\x93NUMPY)")?;
    let (major, rest) = rest.split_at_checked(2).ok_or("a .npy file cut short")?;
    let (length, rest) = match major[0] {
        1 => rest
            .split_at_checked(2)
            .map(|(l, r)| (usize::from(u16::from_le_bytes([l[0], l[1]])), r)),
        2 | 3 => rest
            .split_at_checked(4)
            .map(|(l, r)| (u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize, r)),
        v => return Err(format!(".npy format version {v} is not supported")),
    }
    .ok_or("a .npy file cut short")?;
    let (header, data) = rest
        .split_at_checked(length)
        .ok_or("a .npy file cut short in its header")?;
    let header = std::str::from_utf8(header).map_err(|_| "a .npy header that is not text")?;
    let squeezed: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if !squeezed.contains("'descr':'<f4'") {
        return Err(format!(
            "the .npy file must hold little-endian float32 ('<f4'), not: {header}"
        ));
    }
    if !squeezed.contains("'fortran_order':False") {
        return Err("the .npy file must be in C (row-major) order".into());
    }
    let shape = squeezed
        .split("'shape':(")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or("the .npy header has no shape")?;
    let dims: Vec<usize> = shape
        .split(',')
        .filter(|d| !d.is_empty())
        .map(|d| {
            d.parse()
                .map_err(|_| format!("a .npy shape that is not numbers: ({shape})"))
        })
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        return Err(format!("the .npy array must be 2-D, not shaped ({shape})"));
    };
    let expected = rows
        .checked_mul(cols)
        .and_then(|n| n.checked_mul(4))
        .ok_or("a .npy shape too large")?;
    if data.len() != expected {
        return Err(format!(
            "the .npy file holds {} bytes of values, not the {expected} of a {rows} × {cols} float32 array",
            data.len()
        ));
    }
    let values = data
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Array2::from_shape_vec((rows, cols), values).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_round_trips_every_bit_and_reads_numpys_own_file() {
        let written_by_numpy = include_bytes!("../tests/fixtures/small_matrix.npy");
        let m = read_npy(written_by_numpy).unwrap();
        assert_eq!(m.dim(), (3, 2));
        let expected = [0.1f32, -2.5, 1e-30, f32::MAX, -0.0, 7.0];
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(m.as_slice().unwrap()), bits(&expected));
        assert_eq!(&matrix_npy(&m)[..], &written_by_numpy[..]);
        let tricky = Array2::from_shape_fn((5, 3), |(i, j)| 1.0 / (i * 3 + j + 1) as f32);
        assert_eq!(read_npy(&matrix_npy(&tricky)).unwrap(), tricky);
    }

    #[test]
    fn a_bad_npy_file_gets_a_clear_error() {
        let good = matrix_npy(&Array2::from_elem((2, 2), 1.0f32));
        let cut = read_npy(&good[..good.len() - 1]).unwrap_err().to_string();
        assert!(cut.contains("not the 16 of a 2 × 2 float32 array"), "{cut}");
        assert!(read_npy(b"col1,col2\n1,2\n")
            .unwrap_err()
            .to_string()
            .contains("not a .npy file"));
        assert!(read_npy(&good[..9])
            .unwrap_err()
            .to_string()
            .contains("cut short"));
        // Edits the header in place, taking the room from its padding.
        let edit = |from: &str, to: &str| {
            let text: String = good[10..].iter().map(|&b| b as char).collect();
            let padded = format!("{from}{}", " ".repeat(to.len() - from.len()));
            let mut out = good[..10].to_vec();
            out.extend(text.replacen(&padded, to, 1).bytes());
            out
        };
        assert!(read_npy(&edit("<f4", "<f8"))
            .unwrap_err()
            .to_string()
            .contains("float32"));
        let cube = read_npy(&edit("(2, 2), }", "(2, 2, 1), }"))
            .unwrap_err()
            .to_string();
        assert!(cube.contains("2-D"), "{cube}");
        let huge = edit("(2, 2), }", "(99999999999999999, 99999999999), }");
        assert!(read_npy(&huge)
            .unwrap_err()
            .to_string()
            .contains("too large"));
    }
}
