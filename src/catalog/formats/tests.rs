//! Tests of `formats`.

use super::*;

fn number_format(values: &[&str]) -> NumberFormat {
    NumberFormat::detect(values, FileHints::default())
}

#[test]
fn decimal_commas_are_told_from_thousands_separators() {
    let german = number_format(&["8,1", "7,25", "9", "1.234,5"]);
    assert_eq!(german.decimal, Decimal::Comma);
    assert_eq!(german.describe(), "decimal comma, thousands '.'");
    assert_eq!(german.parse("8,1"), Some(8.1));
    assert_eq!(german.parse("1.234,5"), Some(1234.5));
    assert_eq!(german.parse("2.000.000"), Some(2_000_000.0));
    assert_eq!(german.parse("9"), Some(9.0));
    // Under a decimal comma, `8.1` is no number: a dot groups thousands.
    assert_eq!(german.parse("8.1"), None);

    let english = number_format(&["28,341,469", "1,234", "8.1"]);
    assert_eq!(english.decimal, Decimal::Point);
    assert_eq!(english.describe(), "number, thousands ','");
    assert_eq!(english.parse("28,341,469"), Some(28_341_469.0));
    assert_eq!(english.parse("1,234"), Some(1234.0));
    assert_eq!(english.parse("8,1"), None);
    assert_eq!(english.parse("1,23,4"), None);
}

#[test]
fn plain_numbers_vote_as_the_general_reading_does() {
    for v in [
        "12", "-12", "+5", "0.12", "-0.123", "0.123", "00.123", "1.234", "-1.234", "12.345",
        "123.456", "1234.567", "1.2345", "12.5", ".5", "-.5", "5.", "1.5e3", "1e3", "inf", "NaN",
        ".",
    ] {
        assert_eq!(number_vote(v), general_vote(v), "{v}");
    }
}

#[test]
fn undecided_values_follow_the_file() {
    // `1.234` alone says nothing: a point, unless the file writes decimal commas.
    let alone = number_format(&["1.234", "2.500"]);
    assert_eq!(alone.parse("1.234"), Some(1.234));
    let in_german_file = NumberFormat::detect(
        &["1.234", "2.500"],
        FileHints::detect(&[vec!["8,1", "7,5"], vec!["1.234", "2.500"]]),
    );
    assert_eq!(in_german_file.decimal, Decimal::Comma);
    assert_eq!(in_german_file.parse("1.234"), Some(1234.0));
    // Dates and plain years do not vote.
    assert_eq!(
        FileHints::detect(&[vec!["16.07.2008", "1995"]]),
        FileHints::default()
    );
}

#[test]
fn currency_percent_and_spaces_are_removed() {
    let dollars = number_format(&["$28,341,469", "$1,000"]);
    assert_eq!(dollars.parse("$28,341,469"), Some(28_341_469.0));
    assert_eq!(dollars.describe(), "number, thousands ',', '$' removed");
    let euros = number_format(&["28.341.469 €", "1.500,50 €"]);
    assert_eq!(euros.parse("28.341.469 €"), Some(28_341_469.0));
    assert_eq!(euros.parse("1.500,50 €"), Some(1500.5));
    assert_eq!(euros.parse("-3,5 €"), Some(-3.5));
    let french = number_format(&["1 234,5", "12 000"]);
    assert_eq!(french.decimal, Decimal::Comma);
    assert_eq!(french.parse("1\u{a0}234,5"), Some(1234.5));
    assert_eq!(number_format(&["87%"]).parse("87%"), Some(87.0));
    assert_eq!(number_format(&["1e308"]).parse("1e308"), Some(1e308));
    for nothing in ["", "$", "abc", "inf", "NaN", "1e999", "--5", "1,,2"] {
        assert_eq!(english().parse(nothing), None, "{nothing}");
    }
}

fn english() -> NumberFormat {
    number_format(&["1.5"])
}

fn date_format(values: &[&str]) -> DateFormat {
    DateFormat::detect(values, FileHints::default())
}

#[test]
fn a_day_over_twelve_decides_the_order() {
    let german = date_format(&["16.07.2008", "01.02.2003"]);
    assert_eq!(german.order, Some(DateOrder::DayMonthYear));
    assert_eq!(german.describe(), "day.month.year");
    assert_eq!(german.year("16.07.2008"), Some(2008));
    let us = date_format(&["07/16/2008", "02/01/2003"]);
    assert_eq!(us.order, Some(DateOrder::MonthDayYear));
    assert_eq!(us.describe(), "month/day/year");
    let iso = date_format(&["1998-06-12", "2008-07-16T00:00:00"]);
    assert_eq!(iso.describe(), "year-month-day");
    assert_eq!(iso.year("2008-07-16T00:00:00"), Some(2008));
    assert_eq!(iso.year("2009-12-10"), Some(2009));
    assert_eq!(iso.year("2009-13-10"), None);
    assert_eq!(iso.year("+200-01-01"), None);
}

#[test]
fn when_nothing_decides_the_order_is_assumed_and_said() {
    let slashes = date_format(&["01/02/2003", "03/04/2005"]);
    assert_eq!(slashes.order, Some(DateOrder::MonthDayYear));
    assert_eq!(
        slashes.describe(),
        "month/day/year (assumed: no day over 12)"
    );
    let in_european_file = DateFormat::detect(
        &["01/02/2003"],
        FileHints {
            decimal_comma: true,
        },
    );
    assert_eq!(in_european_file.order, Some(DateOrder::DayMonthYear));
    assert_eq!(
        date_format(&["01.02.2003"]).describe(),
        "day.month.year (assumed: no day over 12)"
    );
}

#[test]
fn month_names_in_every_language_and_years_alone() {
    let f = date_format(&["Jun 12 1998", "12 June 1998", "June 12, 1998", "1995"]);
    assert!(f.month_names && f.years);
    assert_eq!(f.describe(), "year, dates with month names");
    for (value, year) in [
        ("Jun 12 1998", 1998),
        ("12 June 1998", 1998),
        ("16. Juli 2008", 2008),
        ("16 juillet 2008", 2008),
        ("3 août 1999", 1999),
        ("12 de junio de 1998", 1998),
        ("12 giugno 1998", 1998),
        ("12 de junho de 1998", 1998),
        ("12 maart 1998", 1998),
        ("Tue, 16 Jul 2008", 2008),
        ("1995", 1995),
        ("16.07.08", 2008),
        ("16.07.98", 1998),
    ] {
        assert_eq!(f.year(value), Some(year), "{value}");
    }
    for nothing in [
        "",
        "Heat",
        "13/13/2008",
        "32.01.2008",
        "12 Smarch 1998",
        "1,995",
        "99",
    ] {
        assert_eq!(f.year(nothing), None, "{nothing}");
    }
}

#[test]
fn durations_in_every_style_become_minutes() {
    for (value, minutes, style) in [
        ("142", 142.0, DurationStyle::Minutes),
        ("142.5", 142.5, DurationStyle::Minutes),
        ("142 min", 142.0, DurationStyle::MinutesWithUnit),
        ("142 Minuten", 142.0, DurationStyle::MinutesWithUnit),
        ("2h 22m", 142.0, DurationStyle::HoursMinutes),
        ("2h22", 142.0, DurationStyle::HoursMinutes),
        ("2 Std. 22 Min.", 142.0, DurationStyle::HoursMinutes),
        ("1 hr 30 mins", 90.0, DurationStyle::HoursMinutes),
        ("2 heures 22 minutes", 142.0, DurationStyle::HoursMinutes),
        ("2:22", 142.0, DurationStyle::Clock),
        ("2:22:30", 142.5, DurationStyle::Clock),
        ("PT142M", 142.0, DurationStyle::Iso),
        ("PT2H22M", 142.0, DurationStyle::Iso),
        ("PT2H22M30S", 142.5, DurationStyle::Iso),
    ] {
        assert_eq!(parse_duration(value), Some((minutes, style)), "{value}");
    }
    for nothing in [
        "",
        "2 Seasons",
        "long",
        "2:75",
        "PT",
        "PT2X",
        "-5",
        "h",
        "1:2:3:4",
        "2 2",
    ] {
        assert_eq!(parse_duration(nothing), None, "{nothing}");
    }
    let f = ColumnFormat::detect(
        ValueKind::Duration,
        &["2h 22m", "1h 57m", "96 min"],
        FileHints::default(),
    );
    assert_eq!(f.describe(), "minutes from '2h 22m' and '142 min'");
}

#[test]
fn the_sample_says_how_many_values_a_format_cannot_read() {
    let f = ColumnFormat::detect(ValueKind::Number, &["8,1", "7,5"], FileHints::default());
    let u = f.understand(["8,1", "7,5", "n. a.", "8.1"].into_iter());
    assert_eq!((u.values, u.failed), (4, 2));
    assert_eq!(u.example.as_deref(), Some("n. a."));
    assert_eq!(u.format, "decimal comma");
}
