#!/usr/bin/env python3
"""Writes the hostile-input corpus into tests/hostile/ (deterministic).

Every file is an upload a real user could make; tests/hostile.rs states the
exact outcome each must get: a specific error, or a valid catalog with its
rows and skipped rows counted. Regenerate with: python3 scripts/make_hostile_corpus.py
"""
import gzip
import os

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "hostile")
GOOD = "title,year,genres,rating,votes\nAlien,1979,Horror|Sci-Fi,8.5,900\nHeat,1995,Crime|Drama,8.3,700\nUp,2009,Animation|Family,8.2,800\n"


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, name), mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("empty.csv", "")
    write("whitespace_only.csv", "   \n\t\n  \n")
    write("header_only.csv", "title,year,genres\n")
    write("single_row.csv", "title,year,genres\nAlien,1979,Horror|Sci-Fi\n")
    write("binary_garbage.png", bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) + bytes(range(256)) * 4)
    write("utf16le_bom.csv", "\ufeff".encode("utf-16-le") + GOOD.encode("utf-16-le"))
    write("utf16be_no_bom.csv", GOOD.encode("utf-16-be"))
    write("latin1.csv", "title,year,genres\nAmélie,2001,Comedy|Romance\nLéon,1994,Crime|Drama\nLa Haine,1995,Drama\n".encode("latin-1"))
    write("utf8_bom_crlf.csv", "\ufeff" + GOOD.replace("\n", "\r\n"))
    write("unbalanced_quotes.csv", 'title,year\nAlien,1979\n"Heat,1995\nUp,2009\nBig,1988\n')
    write("ragged_rows.csv", GOOD + "Broken,1999\nToo,Many,Fields,Here,9,9,9\nFargo,1996,Crime|Drama,8.1,600\n")
    write("ten_thousand_columns.csv", ",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" for _ in range(10_000)) + "\n")
    write("single_column.csv", "title\nAlien\nHeat\nUp\n")
    write("duplicate_ids.csv", "id,title,year\n1,Alien,1979\n2,Heat,1995\n1,Alien again,1979\n3,Up,2009\n")
    write("duplicate_titles.csv", "id,title,year,genres\n1,Psycho,1960,Horror\n2,Psycho,1998,Horror\n3,Up,2009,Animation\n")
    write("all_missing_numeric.csv", "title,year,runtime\nAlien,1979,NA\nHeat,1995,\nUp,2009,N/A\n")
    write("constant_columns.csv", "title,year,language,genres\nAlien,2000,en,Horror\nHeat,2000,en,Crime\nUp,2000,en,Animation\n")
    write("inf_nan.csv", "title,year,rating,votes\nAlien,1979,inf,900\nHeat,1995,NaN,-inf\nUp,2009,8.2,800\n")
    write("huge_numbers.csv", "title,year,budget\nAlien,1979,1e308\nHeat,1995,-1e308\nUp,2009,5\n")
    write("opposite_extremes.csv", "title,year,budget\nAlien,1979,1e308\nHeat,1995,-1e308\n")
    write("negative_counts.csv", "title,year,votes\nAlien,1979,-5\nHeat,1995,700\nUp,2009,800\n")
    write("formulas.csv", 'title,year\n"=HYPERLINK(""http://example.invalid"",""click"")",1999\n+SUM(A1:A9),2000\n@cmd,2001\n-2+3,2002\n')
    write("html_titles.csv", 'title,year\n<script>alert(1)</script>,1999\n"<img src=x onerror=alert(2)>",2000\n<b>Bold</b>,2001\n')
    write("one_mb_cell.csv", "title,year\n" + "A" * 1_000_000 + ",1999\nHeat,1995\nUp,2009\n")
    write("identical_titles.csv", "title,year,genres\n" + "".join(f"Same,{1950 + i},Drama\n" for i in range(12)))
    write("tabs.tsv", "title\tyear\tgenres\nAlien\t1979\t\"Horror, Sci-Fi\"\nHeat\t1995\tCrime\n")
    write("blank_lines.csv", "\n\ntitle,year\n\nAlien,1979\n\n\nHeat,1995\n\n")
    write("no_title_column.csv", "year,rating\n1979,8.5\n1995,8.3\n")
    write("all_titles_empty.csv", "title,year\n,1979\n  ,1995\nNA,2009\n")
    write("null_markers.csv", "title,year,runtime,genres\nAlien,\\N,117,Horror\nHeat,null,N/A,NA\nUp,2009,96,\n")
    write("nbsp_padded.csv", "title,year\n\u00a0Alien\u00a0,1979\n Heat ,1995\n")
    write("embedded_newlines.csv", 'title,year\n"Alien\nthe director\'s cut",1979\nHeat,1995\n')
    write("imdb_non_movies_only.tsv", "tconst\ttitleType\tprimaryTitle\tisAdult\tstartYear\tgenres\ntt1\ttvSeries\tA Show\t0\t2010\tDrama\ntt2\ttvEpisode\tAn Episode\t0\t2011\tDrama\n")
    imdb = ("tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
            "tt0000001\tmovie\t\"Weird\" Al\t\"Weird\" Al\t0\t1989\t\\N\t90\tComedy\n"
            "tt0000002\tmovie\tA \"lone quote\tA \"lone quote\t0\t1990\t\\N\t\\N\tDrama,Romance\n"
            "tt0000003\ttvEpisode\tEpisode #1.1\tEpisode #1.1\t0\t1991\t\\N\t22\tDrama\n"
            "tt0000004\tmovie\tAdult\tAdult\t1\t1992\t\\N\t80\tAdult\n"
            "tt0000005\tmovie\tToo few cells\n"
            "tt0000006\tmovie\tAmélie\tLe Fabuleux Destin\t0\t2001\t\\N\t122\tComedy,Romance\n")
    # IMDb's dumps are not quoted: a lone quote is part of the title.
    write("imdb_quotes.tsv", imdb)
    write("imdb_quotes.tsv.gz", gzip.compress(imdb.encode(), mtime=0))
    cut = gzip.compress(GOOD.encode() * 200, mtime=0)
    write("cut_short.csv.gz", cut[: len(cut) // 2])
    write("numbers.json", "[1, 2, 3]\n")
    write("broken_line.jsonl", '{"title": "Heat", "year": 1995}\n{"title": "Up", "year": \n')
    write("broken_json_genres.csv", 'title,genres\nAlien,"[{""id"": 27, ""name"": ""Horror""}"\nHeat,"[{""id"": 80, ""name"": ""Crime""}]"\n')
    write("control_characters.csv", "title,year\nAl\x07ien,1979\nHeat,1995\nUp,2009\nBig,1988\nJaws,1975\nRocky,1976\n")
    write("semicolons.csv", "Titel;Jahr;Genre\nAlien;1979;Horror|Sci-Fi\nHeat;1995;Crime\n")
    print(f"wrote {len(os.listdir(OUT))} files to {OUT}")


if __name__ == "__main__":
    main()
