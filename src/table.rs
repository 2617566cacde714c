//! Reading delimited text (CSV, TSV, semicolon or pipe separated) into rows of cells.
//!
//! This layer knows nothing about movies: it decodes bytes, detects the
//! delimiter, splits records (quoted fields may hold delimiters and newlines)
//! and reports every row it could not use with its line number. Role
//! inference and catalog building live in [`crate::catalog`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Cells that mean "no value" in the files people export.
/// Cells that mean "no value", in the languages the header vocabularies
/// cover: `k. A.` (German), `n.d.` (French, Italian, Portuguese), `n.v.`
/// (Dutch), dashes.
const NULL_MARKERS: [&str; 16] = [
    "", "na", "n/a", "\\n", "null", "none", "nan", "-", "\u{2013}", "\u{2014}", "k. a.", "k.a.",
    "n.d.", "n/d", "n.v.", "s/d",
];

/// The length in bytes of the longest of [`NULL_MARKERS`].
const LONGEST_NULL_MARKER: usize = {
    let (mut longest, mut i) = (0, 0);
    while i < NULL_MARKERS.len() {
        if NULL_MARKERS[i].len() > longest {
            longest = NULL_MARKERS[i].len();
        }
        i += 1;
    }
    longest
};

/// How many examples of unusable rows a report keeps (counts are always complete).
pub const MAX_EXAMPLES: usize = 200;

/// Why a whole file cannot be read as a table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// The input had no bytes, or only whitespace.
    #[error("the file is empty")]
    Empty,
    /// The input holds NUL bytes or other control bytes that text never has.
    #[error("this looks like a binary file, not CSV or TSV text")]
    Binary,
    /// UTF-16 text (a BOM or NUL-interleaved ASCII) is refused with a fix.
    #[error("the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs) and try again")]
    Utf16,
    /// A header row but not a single data row.
    #[error("the file has a header row but no data rows")]
    HeaderOnly,
    /// A quote opened and never closed swallowed the rest of the file.
    #[error(
        "line {line}: a quoted field is never closed, so the rest of the file would be one cell"
    )]
    UnbalancedQuote {
        /// 1-based line where the unterminated quoted record starts.
        line: u64,
    },
    /// The header row is unusable (for example, more columns than allowed).
    #[error("{0}")]
    BadHeader(String),
}

/// A reason a reader leaves a row out: shown to the user, and counted by kind.
pub trait Reason: fmt::Display {
    /// The kinds reasons are counted under.
    type Kind: Copy + Ord + fmt::Display;
    /// The kind this reason is counted under.
    fn kind(&self) -> Self::Kind;
}

/// Why the table reader left a row out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowError {
    /// The CSV reader could not read the row.
    Unreadable(String),
    /// A row with another number of fields than the header.
    WrongFieldCount {
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
}

/// The kinds of [`RowError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RowErrorKind {
    /// [`RowError::Unreadable`].
    Unreadable,
    /// [`RowError::WrongFieldCount`].
    WrongFieldCount,
}

impl Reason for RowError {
    type Kind = RowErrorKind;
    fn kind(&self) -> RowErrorKind {
        match self {
            RowError::Unreadable(_) => RowErrorKind::Unreadable,
            RowError::WrongFieldCount { .. } => RowErrorKind::WrongFieldCount,
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::Unreadable(err) => write!(f, "{err}"),
            RowError::WrongFieldCount { found, expected } => {
                write!(f, "{found} fields, but the header has {expected}")
            }
        }
    }
}

impl fmt::Display for RowErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RowErrorKind::Unreadable => "unreadable row",
            RowErrorKind::WrongFieldCount => "wrong number of fields",
        })
    }
}

/// One row that was left out, with the 1-based line where it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowIssue<R> {
    /// 1-based line number in the file.
    pub line: u64,
    /// What was wrong.
    pub reason: R,
}

/// "line 3: the title is empty": the words a user reads.
impl<R: fmt::Display> fmt::Display for RowIssue<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// All rows that were left out: complete counts per kind, and the first
/// examples. The table reader reports [`RowError`]s; readers above it
/// (catalogs, interactions) report reasons of their own, which include these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(
    serialize = "R: Serialize, R::Kind: Serialize",
    deserialize = "R: Deserialize<'de>, R::Kind: Deserialize<'de>"
))]
pub struct RowReport<R: Reason> {
    /// Total number of rows left out.
    pub total: usize,
    /// Count per kind of reason.
    pub by_kind: BTreeMap<R::Kind, usize>,
    /// The first [`MAX_EXAMPLES`] rows left out, in file order.
    pub examples: Vec<RowIssue<R>>,
}

impl<R: Reason> Default for RowReport<R> {
    fn default() -> Self {
        RowReport {
            total: 0,
            by_kind: BTreeMap::new(),
            examples: Vec::new(),
        }
    }
}

impl<R: Reason> RowReport<R> {
    /// Records one row left out.
    pub fn push(&mut self, line: u64, reason: R) {
        self.push_kind(line, reason.kind(), || reason);
    }

    /// Records one row left out, making its reason only when it is kept as
    /// an example (a filter that drops ten million rows allocates nothing).
    pub fn push_kind(&mut self, line: u64, kind: R::Kind, reason: impl FnOnce() -> R) {
        self.total += 1;
        *self.by_kind.entry(kind).or_insert(0) += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(RowIssue {
                line,
                reason: reason(),
            });
        }
    }

    /// How many rows were left out for `kind`.
    pub fn count(&self, kind: R::Kind) -> usize {
        self.by_kind.get(&kind).copied().unwrap_or(0)
    }

    /// Adds every entry of `other` to this report.
    pub fn merge(&mut self, other: RowReport<R>) {
        self.total += other.total;
        for (kind, n) in other.by_kind {
            *self.by_kind.entry(kind).or_insert(0) += n;
        }
        let room = MAX_EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.into_iter().take(room));
    }

    /// The same report, in the reasons of a reader above this one.
    pub fn into_report<S>(self) -> RowReport<S>
    where
        S: Reason + From<R>,
        S::Kind: From<R::Kind>,
    {
        RowReport {
            total: self.total,
            by_kind: self
                .by_kind
                .into_iter()
                .map(|(kind, n)| (kind.into(), n))
                .collect(),
            examples: self
                .examples
                .into_iter()
                .map(|i| RowIssue {
                    line: i.line,
                    reason: i.reason.into(),
                })
                .collect(),
        }
    }

    /// One line per reason category, for a summary shown to the user.
    pub fn summary(&self) -> String {
        self.by_kind
            .iter()
            .map(|(kind, n)| format!("{} × {kind}", crate::text::thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The text encoding the bytes were decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Not valid UTF-8: decoded byte by byte as Windows-1252 / Latin-1.
    Latin1,
}

/// A decoded table: a header row and data rows with their line numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names, trimmed; blank names become `column_N`.
    pub headers: Vec<String>,
    /// Data rows with exactly `headers.len()` cells each.
    pub rows: Vec<Row>,
    /// The delimiter found by [`detect_delimiter`].
    pub delimiter: u8,
    /// How the bytes were decoded.
    pub encoding: Encoding,
    /// Rows that were left out.
    pub issues: RowReport<RowError>,
}

/// One data row and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line number in the file.
    pub line: u64,
    /// Cells, in header order.
    pub cells: Vec<String>,
}

/// The most columns a file may have; wider files are almost always not catalogs.
pub const MAX_COLUMNS: usize = 2_000;

/// Returns the cell trimmed (spaces, tabs, non-breaking spaces), or `None` for a null marker.
///
/// ```
/// use reelmeans::clean;
/// assert_eq!(clean("\u{a0} Alien \t"), Some("Alien"));
/// assert_eq!(clean("N/A"), None);
/// assert_eq!(clean("\\N"), None);
/// ```
pub fn clean(cell: &str) -> Option<&str> {
    let trimmed = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    // A cell longer than every marker is a value: most cells are decided here.
    if trimmed.len() > LONGEST_NULL_MARKER {
        return Some(trimmed);
    }
    if NULL_MARKERS
        .iter()
        .any(|marker| trimmed.eq_ignore_ascii_case(marker))
    {
        None
    } else {
        Some(trimmed)
    }
}

/// Decodes bytes to text: UTF-8 (BOM stripped) or, failing that, Latin-1.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), TableError> {
    check_head(bytes)?;
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        Err(_) => Ok((
            bytes.iter().map(|&b| latin1_char(b)).collect(),
            Encoding::Latin1,
        )),
    }
}

/// Refuses UTF-16 and binary data by looking at the first 4 KB.
fn check_head(bytes: &[u8]) -> Result<(), TableError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(TableError::Utf16);
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        // ASCII text in UTF-16 without a BOM has a NUL in every other byte.
        let odd_nuls = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        if sample.len() >= 4
            && (odd_nuls * 2 >= sample.len() / 2 || even_nuls * 2 >= sample.len() / 2)
        {
            return Err(TableError::Utf16);
        }
        return Err(TableError::Binary);
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if controls * 20 > sample.len().max(1) {
        return Err(TableError::Binary);
    }
    Ok(())
}

/// [`decode`] without copying valid UTF-8: for big files.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<(String, Encoding), TableError> {
    check_head(&bytes)?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, Encoding::Utf8)),
        Err(e) => Ok((
            e.into_bytes().iter().map(|&b| latin1_char(b)).collect(),
            Encoding::Latin1,
        )),
    }
}

/// Windows-1252 for 0x80..0x9F (what spreadsheets write), Latin-1 elsewhere.
fn latin1_char(b: u8) -> char {
    const CP1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => CP1252[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Picks the delimiter among `,` `;` tab and `|` from the first lines of text.
///
/// The header must contain the delimiter, and the data lines that follow
/// should split into the same number of fields; quoted sections are ignored.
///
/// ```
/// use reelmeans::detect_delimiter;
/// assert_eq!(detect_delimiter("id;title\n1;\"Alien; the film\"\n"), b';');
/// assert_eq!(detect_delimiter("movieId,title,genres\n1,Toy Story,Animation|Comedy\n"), b',');
/// ```
pub fn detect_delimiter(text: &str) -> u8 {
    let lines = logical_lines(text, 30);
    let candidates = [b',', b'\t', b';', b'|'];
    let mut best = (b',', 0usize, 0usize);
    for &d in &candidates {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let Some(&header) = counts.first() else {
            continue;
        };
        if header == 0 {
            continue;
        }
        let consistent = counts[1..].iter().filter(|&&c| c == header).count();
        // Prefer the delimiter that splits the most data lines like the header; break ties by width.
        if (consistent, header) > (best.1, best.2) {
            best = (d, consistent, header);
        }
    }
    best.0
}

/// The first `limit` records of the text, where a newline inside quotes does not end a record.
fn logical_lines(text: &str, limit: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                let line = text[start..i].trim_end_matches('\r');
                if !line.trim().is_empty() {
                    lines.push(line);
                }
                start = i + 1;
                if lines.len() >= limit {
                    return lines;
                }
            }
            _ => {}
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        lines.push(&text[start..]);
    }
    lines
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                in_quotes = !in_quotes;
            }
            !in_quotes && b == delimiter
        })
        .count()
}

impl Table {
    /// Reads a whole file: decoding, delimiter detection, header, rows.
    ///
    /// Rows whose field count differs from the header are left out and
    /// reported; blank lines are skipped silently.
    ///
    /// ```
    /// use reelmeans::Table;
    /// let t = Table::parse(b"\xEF\xBB\xBFtitle\tyear\r\nAlien\t1979\r\nbroken\r\n").unwrap();
    /// assert_eq!(t.headers, ["title", "year"]);
    /// assert_eq!(t.rows.len(), 1);
    /// assert_eq!(t.issues.examples[0].line, 3);
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Table, TableError> {
        let (text, encoding) = decode(bytes)?;
        if text.trim().is_empty() {
            return Err(TableError::Empty);
        }
        let delimiter = detect_delimiter(&text);
        let mut table = Self::parse_text(&text, delimiter)?;
        table.encoding = encoding;
        Ok(table)
    }

    /// Reads decoded text with a known delimiter.
    pub fn parse_text(text: &str, delimiter: u8) -> Result<Table, TableError> {
        let mut headers = Vec::new();
        let mut rows = Vec::new();
        let issues = scan(text, delimiter, |record| {
            match record {
                Record::Header(h) => headers = h,
                Record::Row(line, cells) => rows.push(Row {
                    line,
                    cells: cells.iter().map(str::to_string).collect(),
                }),
            }
            Ok::<(), TableError>(())
        })?;
        if rows.is_empty() && issues.total == 0 {
            return Err(TableError::HeaderOnly);
        }
        Ok(Table {
            headers,
            rows,
            delimiter,
            encoding: Encoding::Utf8,
            issues,
        })
    }

    /// Index of the column whose header equals `name` (case-insensitive).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// The first records of a file, about `limit` bytes, cut after the last line
/// break that is not inside a quoted field (for previews of big files).
///
/// ```
/// use reelmeans::head_sample;
/// assert_eq!(head_sample(b"a,b\n\"x\ny\",1\n2,3\n", 9), b"a,b\n");
/// assert_eq!(head_sample(b"a,b\n1,2\n", 100), b"a,b\n1,2\n");
/// ```
pub fn head_sample(bytes: &[u8], limit: usize) -> &[u8] {
    if bytes.len() <= limit {
        return bytes;
    }
    let mut in_quotes = false;
    let mut cut = 0;
    for (i, &b) in bytes[..limit].iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => cut = i + 1,
            _ => {}
        }
    }
    &bytes[..cut]
}

/// Data rows in a file, counted by line breaks (exact unless quoted fields hold line breaks).
pub fn approximate_rows(bytes: &[u8]) -> usize {
    let breaks = bytes.iter().filter(|&&b| b == b'\n').count();
    let trailing = usize::from(!bytes.ends_with(b"\n") && !bytes.is_empty());
    (breaks + trailing).saturating_sub(1)
}

/// One record met by [`scan`].
pub enum Record<'a> {
    /// The header row, cleaned (blank names become `column_N`).
    Header(Vec<String>),
    /// A data row with as many cells as the header, and its 1-based line.
    Row(u64, &'a csv::StringRecord),
}

/// Lower-case letters and digits only: `Vote Count`, `vote_count` and
/// `VoteCount` all become `votecount`. Every reader of this crate matches
/// header names through it.
pub fn normalise_header(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Visits the header and every usable row of decoded text, one record at a
/// time (nothing is collected), and returns the rows left out.
///
/// Blank rows are skipped; rows whose field count differs from the header's
/// are reported. A quote that never closes is an error, found before any row
/// is visited. The first error `visit` returns stops the scan and is
/// returned.
pub fn scan<E: From<TableError>>(
    text: &str,
    delimiter: u8,
    mut visit: impl FnMut(Record<'_>) -> Result<(), E>,
) -> Result<RowReport<RowError>, E> {
    // IMDb's dumps are documented as tab-separated without quoting: a title
    // may hold a lone `"`, which is part of the title.
    let quoting = !text.trim_start_matches('\u{feff}').starts_with("tconst\t");
    // A quote that never closes makes the csv reader run to the end of
    // the file inside one field.
    if let Some(line) = unclosed_quote_line(text, delimiter).filter(|_| quoting) {
        return Err(TableError::UnbalancedQuote { line }.into());
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut issues = RowReport::default();
    // The csv crate miscounts lines in CRLF files; count newlines up to each record's byte offset.
    let mut lines = LineCounter::new(text.as_bytes());
    let mut width: Option<usize> = None;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(0, |p| lines.line_at(p.byte()));
                issues.push(line, RowError::Unreadable(err.to_string()));
                continue;
            }
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        match width {
            None => {
                if record.len() > MAX_COLUMNS {
                    return Err(TableError::BadHeader(format!(
                        "the header has {} columns; at most {MAX_COLUMNS} are supported",
                        record.len()
                    ))
                    .into());
                }
                width = Some(record.len());
                visit(Record::Header(header_names(&record)))?;
            }
            Some(w) if record.len() != w => issues.push(
                line,
                RowError::WrongFieldCount {
                    found: record.len(),
                    expected: w,
                },
            ),
            Some(_) => visit(Record::Row(line, &record))?,
        }
    }
    if width.is_none() {
        return Err(TableError::Empty.into());
    }
    Ok(issues)
}

/// 1-based line numbers of byte offsets, queried in increasing order.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> u64 {
        // A record never starts with a line break; with CRLF the reported offset can point at one.
        let mut target = (byte as usize).min(self.text.len());
        while target < self.text.len() && matches!(self.text[target], b'\r' | b'\n') {
            target += 1;
        }
        if target > self.offset {
            self.line += self.text[self.offset..target]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = target;
        }
        self.line
    }
}

fn header_names(record: &csv::StringRecord) -> Vec<String> {
    record
        .iter()
        .enumerate()
        .map(|(i, h)| match clean(h) {
            Some(name) => name.trim_start_matches('\u{feff}').to_string(),
            None if h.trim().is_empty() => format!("column_{}", i + 1),
            None => h.trim().to_string(),
        })
        .collect()
}

/// The line of a quote that opens a field and is still open at the end of the text.
fn unclosed_quote_line(text: &str, delimiter: u8) -> Option<u64> {
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut line = 1u64;
    let mut open_line = 0u64;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            open_line = line;
        } else if b == b'\n' {
            line += 1;
        }
        at_field_start = !in_quotes && (b == delimiter || b == b'\n' || (b == b'\r'));
        if !in_quotes && b == b'"' {
            at_field_start = false;
        }
        i += 1;
    }
    in_quotes.then_some(open_line)
}

#[cfg(test)]
mod tests;
