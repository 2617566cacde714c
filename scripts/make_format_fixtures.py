#!/usr/bin/env python3
"""Writes tests/fixtures/formats/: the twelve movies of movies.csv as other
tools and other countries write them, for the format tests.

Every file holds the same movies (titles, release years, genres, running
times, ratings, votes, languages), so each must read as the same catalog as
movies.csv. The values were written for these tests: titles, years and
release dates are facts about the films; the ratings and votes are round
numbers made up for the fixture, not copied from any database.

- movies_de.csv  German spreadsheet export: `;`, decimal commas, `16.07.2008`,
                 thousands as `2.500.000`, runtimes as `2 Std. 28 Min.`
- movies_fr.csv  French: `;`, `16/07/2008`, `2h 28min`, thousands as `2 500 000`
- movies_es.csv  Spanish: `;`, `16/07/2008`, `148 min`, `2.500.000`
- movies_it.csv  Italian: `;`, `16/07/2008`, `148 min`
- movies_pt.csv  Portuguese: `;`, `16/07/2008`, `2h28min`
- movies_nl.csv  Dutch: `;`, `16-07-2008`, `148 min`
- movies_typed.csv  English as typed into a spreadsheet: `Jul 16, 2010`,
                 runtimes in ISO 8601 (`PT2H28M`), votes as `2,500,000`
- movies.xlsx    a cover sheet, then the table under a title line, with real
                 date cells and numbers (Office Open XML written by hand)
- movies.ods     OpenDocument with French headers, date and float cells

Run from the repository root: python3 scripts/make_format_fixtures.py
"""
import csv
import datetime
import io
import os
import zipfile
from xml.sax.saxutils import escape

OUT = "tests/fixtures/formats"

RELEASED = {
    "Heat": "1995-12-15",
    "Alien": "1979-05-25",
    "Aliens": "1986-07-18",
    "Up": "2009-05-29",
    "Toy Story": "1995-11-22",
    "Amélie": "2001-04-25",
    "The Godfather": "1972-03-24",
    "Goodfellas": "1990-09-19",
    "Spirited Away": "2001-07-20",
    "Das Boot": "1981-09-17",
    "Inception": "2010-07-16",
    "Finding Nemo": "2003-05-30",
}


def movies():
    with open(os.path.join(OUT, "movies.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["date"] = datetime.date.fromisoformat(RELEASED[r["title"]])
        assert r["date"].year == int(r["year"]), r["title"]
        r["genres"] = r["genres"].split("|")
        r["runtime"] = int(r["runtime"])
        r["votes"] = int(r["votes"])
    return rows


def grouped(n, mark):
    return f"{n:,}".replace(",", mark)


def hours(minutes, h, m, sep=" "):
    return f"{minutes // 60}{h}{sep}{minutes % 60}{m}"


def write_csv(name, header, rows, delimiter=";"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(buf.getvalue())


def comma(x):
    return str(x).replace(".", ",")


def european_csvs(ms):
    write_csv(
        "movies_de.csv",
        ["Titel", "Erscheinungsdatum", "Genres", "Laufzeit", "Bewertung", "Stimmen", "Sprache"],
        [[m["title"], m["date"].strftime("%d.%m.%Y"), ", ".join(m["genres"]),
          hours(m["runtime"], " Std.", " Min."), comma(m["rating"]), grouped(m["votes"], "."),
          m["language"]] for m in ms],
    )
    write_csv(
        "movies_fr.csv",
        ["Titre", "Date de sortie", "Genres", "Durée", "Note", "Nombre de votes", "Langue"],
        [[m["title"], m["date"].strftime("%d/%m/%Y"), ", ".join(m["genres"]),
          hours(m["runtime"], "h", "min"), comma(m["rating"]), grouped(m["votes"], " "),
          m["language"]] for m in ms],
    )
    write_csv(
        "movies_es.csv",
        ["Título", "Fecha de estreno", "Género", "Duración", "Puntuación", "Votos", "Idioma"],
        [[m["title"], m["date"].strftime("%d/%m/%Y"), ", ".join(m["genres"]),
          f"{m['runtime']} min", comma(m["rating"]), grouped(m["votes"], "."), m["language"]]
         for m in ms],
    )
    write_csv(
        "movies_it.csv",
        ["Titolo", "Data di uscita", "Generi", "Durata", "Voto", "Voti", "Lingua"],
        [[m["title"], m["date"].strftime("%d/%m/%Y"), ", ".join(m["genres"]),
          f"{m['runtime']} min", comma(m["rating"]), grouped(m["votes"], "."), m["language"]]
         for m in ms],
    )
    write_csv(
        "movies_pt.csv",
        ["Título", "Data de lançamento", "Gêneros", "Duração", "Avaliação", "Votos", "Idioma"],
        [[m["title"], m["date"].strftime("%d/%m/%Y"), ", ".join(m["genres"]),
          hours(m["runtime"], "h", "min", sep=""), comma(m["rating"]), grouped(m["votes"], "."),
          m["language"]] for m in ms],
    )
    write_csv(
        "movies_nl.csv",
        ["Titel", "Releasedatum", "Genres", "Speelduur", "Beoordeling", "Aantal stemmen", "Taal"],
        [[m["title"], m["date"].strftime("%d-%m-%Y"), ", ".join(m["genres"]),
          f"{m['runtime']} min", comma(m["rating"]), grouped(m["votes"], "."), m["language"]]
         for m in ms],
    )
    write_csv(
        "movies_typed.csv",
        ["Title", "Release Date", "Genres", "Running Time", "IMDB Rating", "Votes", "Language"],
        [[m["title"], m["date"].strftime("%b %d, %Y"), "|".join(m["genres"]),
          f"PT{m['runtime'] // 60}H{m['runtime'] % 60}M", m["rating"], grouped(m["votes"], ","),
          m["language"]] for m in ms],
        delimiter=",",
    )


# ---------------------------------------------------------------- xlsx

def col_name(i):
    return "ABCDEFGHIJ"[i]


def xlsx_cell(ref, value):
    if isinstance(value, datetime.date):
        serial = (value - datetime.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def xlsx_sheet(rows, first_row=1):
    out = []
    for i, row in enumerate(rows):
        n = first_row + i
        cells = "".join(xlsx_cell(f"{col_name(c)}{n}", v) for c, v in enumerate(row) if v != "")
        out.append(f'<row r="{n}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(out)}</sheetData></worksheet>'
    )


def write_xlsx(ms):
    cover = xlsx_sheet([["My movie list, exported for reelmeans' tests"]])
    table = [["My movies"], [""]] + [["Title", "Released", "Genres", "Runtime", "Rating", "Votes", "Language"]]
    table += [[m["title"], m["date"], "|".join(m["genres"]), m["runtime"], float(m["rating"]),
               m["votes"], m["language"]] for m in ms]
    # The empty second row keeps its place: rows are numbered from 1.
    movies_sheet = xlsx_sheet(table)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '</Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="About" sheetId="1" r:id="rId1"/>'
            '<sheet name="Movies" sheetId="2" r:id="rId2"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '</Relationships>'
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '</styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": cover,
        "xl/worksheets/sheet2.xml": movies_sheet,
    }
    write_zip("movies.xlsx", files)


# ---------------------------------------------------------------- ods

def ods_cell(value):
    if isinstance(value, datetime.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f'<text:p>{value.strftime("%d/%m/%Y")}</text:p></table:table-cell>')
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f'<text:p>{value}</text:p></table:table-cell>')
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def write_ods(ms):
    rows = [["Titre", "Date de sortie", "Genres", "Durée", "Note", "Nombre de votes", "Langue"]]
    rows += [[m["title"], m["date"], ", ".join(m["genres"]), m["runtime"], float(m["rating"]),
              m["votes"], m["language"]] for m in ms]
    body = "".join(f'<table:table-row>{"".join(ods_cell(v) for v in r)}</table:table-row>' for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet>'
        f'<table:table table:name="Films">{body}</table:table>'
        '</office:spreadsheet></office:body></office:document-content>'
    )
    files = {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>'
        ),
        "content.xml": content,
    }
    write_zip("movies.ods", files)


def write_zip(name, files):
    """A zip with fixed timestamps, so the fixture is the same bytes every run."""
    with zipfile.ZipFile(os.path.join(OUT, name), "w") as z:
        for path, text in files.items():
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            # OpenDocument wants its mimetype first and stored.
            info.compress_type = zipfile.ZIP_STORED if path == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    ms = movies()
    european_csvs(ms)
    write_xlsx(ms)
    write_ods(ms)
    print(f"wrote {OUT}/movies_{{de,fr,es,it,pt,nl,typed}}.csv, movies.xlsx, movies.ods")
