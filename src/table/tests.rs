//! Tests of `table`.

use super::*;

#[test]
fn quoted_fields_keep_delimiters_and_newlines() {
    let t = Table::parse(b"title,genres\n\"Alien, the film\",\"Horror|\nSci-Fi\"\nHeat,Crime\n")
        .unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].cells[0], "Alien, the film");
    assert_eq!(t.rows[0].cells[1], "Horror|\nSci-Fi");
    assert_eq!(t.rows[1].line, 4);
}

#[test]
fn tab_semicolon_and_pipe_files_are_detected() {
    assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
    assert_eq!(detect_delimiter("a;b\n1,5;2\n"), b';');
    assert_eq!(detect_delimiter("a|b|c\n1|2|3\n"), b'|');
}

#[test]
fn null_markers_are_missing_values() {
    for marker in ["", "NA", "n/a", "\\N", "null", "NULL", " \u{a0}"] {
        assert_eq!(clean(marker), None, "{marker:?}");
    }
    assert_eq!(clean("0"), Some("0"));
}

#[test]
fn latin1_bytes_are_decoded_not_rejected() {
    let t = Table::parse(b"title,year\nAm\xe9lie,2001\n").unwrap();
    assert_eq!(t.rows[0].cells[0], "Amélie");
    assert_eq!(t.encoding, Encoding::Latin1);
}

#[test]
fn utf16_and_binary_files_get_their_own_errors() {
    assert_eq!(
        Table::parse(b"\xff\xfet\0i\0").unwrap_err(),
        TableError::Utf16
    );
    assert_eq!(
        Table::parse(b"t\0i\0t\0l\0e\0\n\0").unwrap_err(),
        TableError::Utf16
    );
    assert_eq!(
        Table::parse(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3, 0]).unwrap_err(),
        TableError::Binary
    );
}

#[test]
fn empty_and_header_only_files_are_errors() {
    assert_eq!(Table::parse(b"").unwrap_err(), TableError::Empty);
    assert_eq!(Table::parse(b" \n\n").unwrap_err(), TableError::Empty);
    assert_eq!(
        Table::parse(b"title,year\n").unwrap_err(),
        TableError::HeaderOnly
    );
}

#[test]
fn an_unclosed_quote_is_reported_with_its_line() {
    let err = Table::parse(b"title,year\nAlien,1979\n\"Heat,1995\nUp,2009\n").unwrap_err();
    assert_eq!(err, TableError::UnbalancedQuote { line: 3 });
}

#[test]
fn ragged_rows_are_counted_with_line_numbers() {
    let t = Table::parse(b"a,b\n1,2\n1,2,3\n4\n5,6\n").unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.issues.total, 2);
    assert_eq!(t.issues.examples[0].line, 3);
    assert_eq!(t.issues.examples[1].line, 4);
}
