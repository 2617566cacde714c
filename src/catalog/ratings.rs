//! Companion ratings files joined to a catalog: MovieLens `ratings.csv`
//! and IMDb `title.ratings.tsv`.

use super::values::parse_number;
use super::{Catalog, CatalogError};
use crate::table::{clean, Table};
use std::collections::HashMap;

impl Catalog {
    /// Joins a ratings file: MovieLens `ratings.csv` (mean and count per movie)
    /// or IMDb `title.ratings.tsv` (averageRating, numVotes per tconst).
    ///
    /// Returns how many movies received a rating.
    pub fn attach_ratings(&mut self, bytes: &[u8]) -> Result<usize, CatalogError> {
        let table = Table::parse(bytes)?;
        let col = |name: &str| table.column(name);
        let per_id: HashMap<&str, (f64, f64)> = if let (Some(id), Some(avg), Some(n)) =
            (col("tconst"), col("averageRating"), col("numVotes"))
        {
            table
                .rows
                .iter()
                .filter_map(|r| {
                    let rating = clean(&r.cells[avg]).and_then(parse_number)?;
                    let votes = clean(&r.cells[n]).and_then(parse_number)?;
                    Some((r.cells[id].trim(), (rating, votes)))
                })
                .collect()
        } else if let (Some(id), Some(rating)) = (col("movieId"), col("rating")) {
            let mut sums: HashMap<&str, (f64, f64)> = HashMap::new();
            for r in &table.rows {
                if let Some(value) = clean(&r.cells[rating]).and_then(parse_number) {
                    let entry = sums.entry(r.cells[id].trim()).or_insert((0.0, 0.0));
                    entry.0 += value;
                    entry.1 += 1.0;
                }
            }
            sums.into_iter()
                .map(|(id, (sum, n))| (id, (sum / n, n)))
                .collect()
        } else {
            return Err(CatalogError::UnknownRatings(table.headers.join(", ")));
        };
        let mut joined = 0;
        for movie in self.movies_mut() {
            if let Some(&(rating, votes)) = per_id.get(movie.id.as_str()) {
                movie.rating = Some(rating);
                movie.votes = Some(votes);
                joined += 1;
            }
        }
        Ok(joined)
    }
}
