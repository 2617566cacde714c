//! The header names that say what a column is, in every language the
//! catalogs come in: the one place to add a name.
//!
//! Names are matched after [`header_key`]: letters and digits only, lower
//! case, accents folded, so `Année de sortie`, `annee_de_sortie` and
//! `ANNEE DE SORTIE` are one name. The English names cover the datasets
//! reelmeans knows (TMDB, MovieLens, IMDb, Netflix and Kaggle extracts);
//! the others are what spreadsheet exports in German, French, Spanish,
//! Italian, Portuguese and Dutch call the same columns.

use super::role::ColumnRole::{self, *};
use crate::text::fold;

/// A language's names for each role.
pub struct Vocabulary {
    /// The language, in English.
    pub language: &'static str,
    /// Header keys (see [`header_key`]) and the role each one names.
    pub names: &'static [(ColumnRole, &'static [&'static str])],
}

/// Every vocabulary, English first.
pub const VOCABULARIES: [Vocabulary; 7] = [
    Vocabulary {
        language: "English",
        names: &[
            (
                Id,
                &[
                    "id", "movieid", "tconst", "tmdbid", "imdbid", "filmid", "itemid", "titleid",
                    "showid", "courseid",
                ],
            ),
            (
                Title,
                &[
                    "title",
                    "primarytitle",
                    "movietitle",
                    "name",
                    "film",
                    "movie",
                    "filmtitle",
                    "seriestitle",
                ],
            ),
            (
                Year,
                &[
                    "year",
                    "startyear",
                    "releaseyear",
                    "releasedate",
                    "released",
                    "date",
                    "titleyear",
                    "dateadded",
                ],
            ),
            (
                Genres,
                &[
                    "genres",
                    "genre",
                    "listedin",
                    "categories",
                    "category",
                    "genrelist",
                ],
            ),
            (
                Language,
                &[
                    "language",
                    "originallanguage",
                    "lang",
                    "languages",
                    "originallang",
                ],
            ),
            (
                Runtime,
                &[
                    "runtime",
                    "runtimeminutes",
                    "duration",
                    "length",
                    "minutes",
                    "runningtime",
                    "runtimemins",
                ],
            ),
            (
                Rating,
                &[
                    "rating",
                    "voteaverage",
                    "averagerating",
                    "imdbrating",
                    "score",
                    "meanrating",
                    "avgrating",
                    "imdbscore",
                    "userrating",
                    "stars",
                ],
            ),
            (
                Votes,
                &[
                    "votes",
                    "votecount",
                    "numvotes",
                    "ratingcount",
                    "nratings",
                    "numratings",
                    "numvotedusers",
                    "imdbvotes",
                    "noofvotes",
                ],
            ),
            (Popularity, &["popularity", "popularityscore"]),
            (
                Number,
                &["budget", "revenue", "gross", "boxoffice", "metascore"],
            ),
            (
                Category,
                &[
                    "country",
                    "productioncountry",
                    "certificate",
                    "contentrating",
                    "type",
                ],
            ),
            (
                Ignore,
                &[
                    "originaltitle",
                    "overview",
                    "tagline",
                    "homepage",
                    "status",
                    "description",
                    "endyear",
                    "isadult",
                    "adult",
                    "titletype",
                    "director",
                    "cast",
                    "keywords",
                    "spokenlanguages",
                    "productioncountries",
                    "productioncompanies",
                    "plot",
                    "poster",
                    "posterpath",
                    "url",
                    "tasteborrowed",
                    // What reelmeans (or its Spark job) wrote: last time's
                    // clusters are no feature of this time's.
                    "cluster",
                    "distance",
                    "link",
                ],
            ),
        ],
    },
    Vocabulary {
        language: "German",
        names: &[
            (Id, &["kennung", "nr", "nummer", "filmnr"]),
            (Title, &["titel", "filmtitel", "deutschertitel"]),
            (
                Year,
                &[
                    "jahr",
                    "erscheinungsjahr",
                    "erscheinungsdatum",
                    "veroffentlichung",
                    "veroffentlichungsdatum",
                    "kinostart",
                    "startdatum",
                    "produktionsjahr",
                ],
            ),
            (Genres, &["genres", "genre", "kategorien"]),
            (
                Runtime,
                &["laufzeit", "dauer", "lange", "spieldauer", "laufzeitmin"],
            ),
            (
                Rating,
                &[
                    "bewertung",
                    "wertung",
                    "note",
                    "durchschnittsbewertung",
                    "imdbbewertung",
                ],
            ),
            (
                Votes,
                &[
                    "stimmen",
                    "anzahlstimmen",
                    "anzahlbewertungen",
                    "stimmenanzahl",
                ],
            ),
            (Language, &["sprache", "originalsprache"]),
            (
                Category,
                &["land", "produktionsland", "altersfreigabe", "fsk"],
            ),
            (
                Ignore,
                &[
                    "originaltitel",
                    "beschreibung",
                    "handlung",
                    "regie",
                    "regisseur",
                    "besetzung",
                ],
            ),
        ],
    },
    Vocabulary {
        language: "French",
        names: &[
            (Id, &["identifiant"]),
            (Title, &["titre", "titredufilm", "nomdufilm"]),
            (
                Year,
                &[
                    "annee",
                    "datedesortie",
                    "sortie",
                    "anneedesortie",
                    "datedeparution",
                ],
            ),
            (Genres, &["genres", "genre"]),
            (Runtime, &["duree", "dureemin"]),
            (Rating, &["note", "notemoyenne", "evaluation", "moyenne"]),
            (
                Votes,
                &["votes", "nombredevotes", "nbvotes", "nombredenotes"],
            ),
            (Language, &["langue", "langueoriginale"]),
            (Category, &["pays", "paysdeproduction"]),
            (
                Ignore,
                &[
                    "titreoriginal",
                    "resume",
                    "synopsis",
                    "realisateur",
                    "realisation",
                ],
            ),
        ],
    },
    Vocabulary {
        language: "Spanish",
        names: &[
            (Id, &["identificador"]),
            (Title, &["titulo", "titulodelapelicula", "pelicula"]),
            (
                Year,
                &[
                    "ano",
                    "fechadeestreno",
                    "estreno",
                    "fechadelanzamiento",
                    "anodeestreno",
                ],
            ),
            (Genres, &["genero", "generos"]),
            (Runtime, &["duracion", "duracionmin"]),
            (
                Rating,
                &["puntuacion", "calificacion", "valoracion", "nota"],
            ),
            (Votes, &["votos", "numerodevotos"]),
            (Language, &["idioma", "idiomaoriginal"]),
            (Category, &["pais"]),
            (
                Ignore,
                &["titulooriginal", "sinopsis", "director", "reparto"],
            ),
        ],
    },
    Vocabulary {
        language: "Italian",
        names: &[
            (Id, &["identificativo"]),
            (Title, &["titolo"]),
            (Year, &["anno", "datadiuscita", "uscita", "annodiuscita"]),
            (Genres, &["genere", "generi"]),
            (Runtime, &["durata"]),
            (Rating, &["voto", "valutazione", "punteggio"]),
            (Votes, &["voti", "numerodivoti"]),
            (Language, &["lingua", "linguaoriginale"]),
            (Category, &["paese", "nazione"]),
            (Ignore, &["titolooriginale", "trama", "regista", "regia"]),
        ],
    },
    Vocabulary {
        language: "Portuguese",
        names: &[
            (Title, &["titulo", "nomedofilme"]),
            (
                Year,
                &[
                    "ano",
                    "datadelancamento",
                    "lancamento",
                    "estreia",
                    "anodelancamento",
                ],
            ),
            (Genres, &["genero", "generos"]),
            (Runtime, &["duracao"]),
            (Rating, &["nota", "avaliacao", "classificacao"]),
            (Votes, &["votos", "numerodevotos"]),
            (Language, &["idioma", "lingua"]),
            (Category, &["pais"]),
            (Ignore, &["titulooriginal", "sinopse", "diretor", "elenco"]),
        ],
    },
    Vocabulary {
        language: "Dutch",
        names: &[
            (Title, &["titel", "filmtitel"]),
            (
                Year,
                &[
                    "jaar",
                    "releasedatum",
                    "verschijningsdatum",
                    "uitgavedatum",
                    "premiere",
                    "jaarvanuitgave",
                ],
            ),
            (Genres, &["genre", "genres"]),
            (Runtime, &["duur", "speelduur", "looptijd"]),
            (Rating, &["beoordeling", "waardering", "cijfer"]),
            (Votes, &["stemmen", "aantalstemmen"]),
            (Language, &["taal", "originaletaal"]),
            (Category, &["land"]),
            (Ignore, &["originaletitel", "beschrijving", "regisseur"]),
        ],
    },
];

/// A header as the vocabularies spell it: letters and digits only, lower
/// case, accents folded.
///
/// ```
/// use reelmeans::header_key;
/// assert_eq!(header_key("Année de sortie"), "anneedesortie");
/// assert_eq!(header_key("Veröffentlichung"), "veroffentlichung");
/// ```
pub fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(fold)
        .collect()
}

/// The role a header names in any vocabulary, and the first language that names it.
pub fn role_named(header: &str) -> Option<(ColumnRole, &'static str)> {
    let key = header_key(header);
    VOCABULARIES.iter().find_map(|v| {
        v.names
            .iter()
            .find(|(_, names)| names.contains(&key.as_str()))
            .map(|(role, _)| (*role, v.language))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A language's headers, as a spreadsheet in that language names them,
    /// and the roles they must get.
    fn names(language: &str, headers: &[&str], expected: &[ColumnRole]) {
        for (header, role) in headers.iter().zip(expected) {
            assert_eq!(
                role_named(header).map(|r| r.0),
                Some(*role),
                "{language}: {header}"
            );
        }
    }

    const EIGHT: [ColumnRole; 8] = [Id, Title, Year, Genres, Runtime, Rating, Votes, Language];

    #[test]
    fn english_headers() {
        let h = [
            "ID",
            "Title",
            "Release Date",
            "Genres",
            "Runtime",
            "Rating",
            "Votes",
            "Language",
        ];
        names("English", &h, &EIGHT);
    }

    #[test]
    fn german_headers() {
        let h = [
            "Kennung",
            "Titel",
            "Erscheinungsdatum",
            "Genres",
            "Laufzeit",
            "Bewertung",
            "Stimmen",
            "Sprache",
        ];
        names("German", &h, &EIGHT);
        names(
            "German",
            &["Länge", "Veröffentlichung", "Anzahl Stimmen"],
            &[Runtime, Year, Votes],
        );
        assert_eq!(role_named("Originaltitel").map(|r| r.0), Some(Ignore));
    }

    #[test]
    fn an_exports_own_columns_are_not_features_when_it_is_opened_again() {
        for name in ["cluster", "distance", "Cluster"] {
            assert_eq!(role_named(name).map(|r| r.0), Some(Ignore), "{name}");
        }
    }

    #[test]
    fn french_headers() {
        let h = [
            "Identifiant",
            "Titre",
            "Date de sortie",
            "Genre",
            "Durée",
            "Note",
            "Nombre de votes",
            "Langue",
        ];
        names("French", &h, &EIGHT);
        names("French", &["Année"], &[Year]);
    }

    #[test]
    fn spanish_headers() {
        let h = [
            "Identificador",
            "Título",
            "Fecha de estreno",
            "Género",
            "Duración",
            "Puntuación",
            "Votos",
            "Idioma",
        ];
        names("Spanish", &h, &EIGHT);
        names("Spanish", &["Año"], &[Year]);
    }

    #[test]
    fn italian_headers() {
        let h = [
            "Identificativo",
            "Titolo",
            "Data di uscita",
            "Genere",
            "Durata",
            "Voto",
            "Voti",
            "Lingua",
        ];
        names("Italian", &h, &EIGHT);
        names("Italian", &["Anno"], &[Year]);
    }

    #[test]
    fn portuguese_headers() {
        let h = [
            "ID",
            "Título",
            "Data de lançamento",
            "Gênero",
            "Duração",
            "Avaliação",
            "Votos",
            "Idioma",
        ];
        names("Portuguese", &h, &EIGHT);
        names("Portuguese", &["Ano", "Classificação"], &[Year, Rating]);
    }

    #[test]
    fn dutch_headers() {
        let h = [
            "ID",
            "Titel",
            "Releasedatum",
            "Genre",
            "Speelduur",
            "Beoordeling",
            "Aantal stemmen",
            "Taal",
        ];
        names("Dutch", &h, &EIGHT);
        names("Dutch", &["Jaar", "Duur"], &[Year, Runtime]);
    }

    #[test]
    fn no_key_names_two_roles() {
        let mut seen: Vec<(&str, ColumnRole)> = Vec::new();
        for v in &VOCABULARIES {
            for (role, keys) in v.names {
                for key in *keys {
                    assert_eq!(header_key(key), *key, "{key} is not a folded key");
                    match seen.iter().find(|(k, _)| k == key) {
                        Some((_, r)) => assert_eq!(r, role, "{key} names two roles"),
                        None => seen.push((key, *role)),
                    }
                }
            }
        }
    }
}
