//! Catalogs as JSON: an array of objects, an object holding one such array
//! (`{"movies": [...]}`), or JSON Lines (one object per line).
//!
//! Each object becomes a row of a table with the union of the objects'
//! keys as its header, in the order they first appear, and the table goes
//! through the same reader as a CSV file, so roles are inferred the same
//! way. Values: strings as they are, numbers and booleans as written, null
//! as missing; a list of values is joined with `|` (a genre list); a list of
//! objects gives each object's `name` (TMDB's `[{"id": 18, "name": "Drama"}]`);
//! a nested object is flattened into `outer.inner` columns.

use super::CatalogError;
use serde_json::{Map, Value};

/// Whether text looks like JSON: its first character, after a byte-order
/// mark and spaces, opens an array or an object.
pub fn is_json(text: &[u8]) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'[' | b'{')
    )
}

/// The records of a JSON catalog, as CSV text (a header, then a row per object).
pub fn json_to_csv(text: &[u8]) -> Result<Vec<u8>, CatalogError> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let records = records(text)?;
    if records.is_empty() {
        return Err(CatalogError::Json("it holds no objects (movies)".into()));
    }
    let mut headers: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<Vec<(String, String)>> = records
        .iter()
        .map(|record| {
            let mut cells = Vec::new();
            flatten("", record, &mut cells);
            for (key, _) in &cells {
                if seen.insert(key.clone()) {
                    headers.push(key.clone());
                }
            }
            cells
        })
        .collect();
    let column: std::collections::HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| CatalogError::Json(e.to_string());
    out.write_record(&headers).map_err(failed)?;
    let mut row = vec![String::new(); headers.len()];
    for cells in rows {
        row.iter_mut().for_each(String::clear);
        for (key, value) in cells {
            row[column[key.as_str()]] = value;
        }
        out.write_record(&row).map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| CatalogError::Json(e.to_string()))
}

/// The objects of the file, whichever of the three shapes it has.
fn records(text: &[u8]) -> Result<Vec<Map<String, Value>>, CatalogError> {
    let whole: Result<Value, _> = serde_json::from_slice(text);
    let objects = |items: Vec<Value>| -> Result<Vec<Map<String, Value>>, CatalogError> {
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(map) => Ok(map),
                other => Err(CatalogError::Json(format!(
                    "item {} of the list is {}, not an object with a title",
                    i + 1,
                    kind(&other)
                ))),
            })
            .collect()
    };
    match whole {
        Ok(Value::Array(items)) => objects(items),
        Ok(Value::Object(map))
            if ["version", "pipeline", "centroids"]
                .iter()
                .all(|k| map.contains_key(*k)) =>
        {
            Err(CatalogError::Json(
                "this is a model saved by reelmeans (its pipeline and centroids), not a catalog: open the catalog first, then the model on its own".into(),
            ))
        }
        Ok(Value::Object(map)) => {
            // `{"movies": [...]}`: the one list of objects it holds.
            let lists: Vec<&Value> = map
                .values()
                .filter(|v| matches!(v, Value::Array(a) if a.first().is_some_and(Value::is_object)))
                .collect();
            match lists.as_slice() {
                [Value::Array(items)] => objects(items.clone()),
                [] => Ok(vec![map]),
                _ => Err(CatalogError::Json(
                    "it holds several lists of objects; keep the one with the movies".into(),
                )),
            }
        }
        Ok(other) => Err(CatalogError::Json(format!(
            "it is {}, not a list of movies",
            kind(&other)
        ))),
        // Not one JSON value: JSON Lines, one object per line.
        Err(_) => {
            let text = String::from_utf8_lossy(text);
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, line)| match serde_json::from_str::<Value>(line) {
                    Ok(Value::Object(map)) => Ok(map),
                    Ok(other) => Err(CatalogError::Json(format!(
                        "line {} is {}, not an object",
                        i + 1,
                        kind(&other)
                    ))),
                    Err(e) => {
                        // serde's words without its own position (it counts within the line).
                        let why = e.to_string();
                        let why = why.split(" at line ").next().unwrap_or(&why).to_string();
                        Err(CatalogError::Json(format!(
                            "line {}, column {}: {why}",
                            i + 1,
                            e.column()
                        )))
                    }
                })
                .collect()
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An object's values as cells, nested objects as `outer.inner`.
fn flatten(prefix: &str, object: &Map<String, Value>, cells: &mut Vec<(String, String)>) {
    for (key, value) in object {
        let key = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(&key, inner, cells),
            other => cells.push((key, cell(other))),
        }
    }
}

/// One value as the text of a cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                // TMDB's genre objects: their names.
                Value::Object(map) => map.get("name").map(cell).unwrap_or_default(),
                other => cell(other),
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("|"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    const CSV: &str = "title,year,genres,runtime,rating,votes\n\
        Heat,1995,Crime|Drama,170,8.3,700\n\
        Alien,1979,Horror|Science Fiction,117,8.5,900\n\
        Up,2009,Animation|Family,96,8.2,800\n";

    fn catalog(bytes: &[u8]) -> Catalog {
        Catalog::parse(&json_to_csv(bytes).unwrap()).unwrap()
    }

    #[test]
    fn an_array_an_object_holding_one_and_json_lines_read_as_the_csv() {
        let english = Catalog::parse(CSV.as_bytes()).unwrap();
        let array = r#"[
            {"title": "Heat", "year": 1995, "genres": ["Crime", "Drama"], "runtime": 170, "rating": 8.3, "votes": 700},
            {"title": "Alien", "year": 1979, "genres": [{"id": 27, "name": "Horror"}, {"id": 878, "name": "Science Fiction"}], "runtime": 117, "rating": 8.5, "votes": 900},
            {"title": "Up", "year": 2009, "genres": "Animation|Family", "runtime": 96, "rating": 8.2, "votes": 800}
        ]"#;
        assert!(is_json(array.as_bytes()));
        assert_eq!(catalog(array.as_bytes()).movies(), english.movies());
        let wrapped = format!(r#"{{"source": "my list", "movies": {array}}}"#);
        assert_eq!(catalog(wrapped.as_bytes()).movies(), english.movies());
        let lines = concat!(
            "\u{feff}{\"title\": \"Heat\", \"year\": 1995, \"genres\": [\"Crime\", \"Drama\"], \"runtime\": 170, \"rating\": 8.3, \"votes\": 700}\n",
            "{\"title\": \"Alien\", \"year\": 1979, \"genres\": [\"Horror\", \"Science Fiction\"], \"runtime\": 117, \"rating\": 8.5, \"votes\": 900}\n",
            "\n",
            "{\"votes\": 800, \"title\": \"Up\", \"rating\": 8.2, \"runtime\": 96, \"year\": 2009, \"genres\": [\"Animation\", \"Family\"]}\n",
        );
        assert!(is_json(lines.as_bytes()));
        assert_eq!(catalog(lines.as_bytes()).movies(), english.movies());
    }

    #[test]
    fn nested_objects_flatten_and_missing_keys_are_empty() {
        let text = r#"[{"title": "Heat", "details": {"year": 1995, "lang": null}},
                       {"title": "Up", "score": true}]"#;
        let csv = String::from_utf8(json_to_csv(text.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            csv,
            "title,details.year,details.lang,score\nHeat,1995,,\nUp,,,true\n"
        );
    }

    #[test]
    fn json_that_is_not_a_list_of_movies_says_what_it_is() {
        let error = |text: &str| json_to_csv(text.as_bytes()).unwrap_err().to_string();
        assert!(error("[]").contains("holds no objects"));
        assert!(error("[1, 2]").contains("item 1 of the list is a number"));
        assert!(error(r#"{"a": [{"t": 1}], "b": [{"t": 2}]}"#).contains("several lists"));
        assert!(error("{\"title\": \"Heat\"}\n{\"title\": ").contains("line 2, column"));
        assert!(error("{\"title\": \"Heat\"}\n[1]\n").contains("line 2 is a list"));
        assert!(!is_json(CSV.as_bytes()));
        // A model the app exported, opened as a catalog by mistake.
        let catalog = Catalog::parse(CSV.as_bytes()).unwrap();
        let data = crate::ClusteredCatalog::build(
            catalog,
            &crate::FeatureSpec::default(),
            &crate::KMeansParams::new(2),
            &mut |_| {},
        )
        .unwrap();
        let model = data.saved_model().to_json();
        assert!(
            error(&model).contains("a model saved by reelmeans"),
            "{}",
            error(&model)
        );
    }
}
