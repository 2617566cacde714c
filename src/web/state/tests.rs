//! Tests of `state`.

use super::*;
use crate::session::Session;
use crate::{Catalog, ClusteredCatalog, KMeansParams};

/// A small real catalog, held by a session as the worker holds it.
fn session() -> Session {
    let mut csv = String::from("id,title,year,genres\n");
    for i in 0..12 {
        csv += &format!(
            "m{i},Title {i},{},{}\n",
            1990 + i,
            ["Drama", "Comedy"][i % 2]
        );
    }
    let catalog = Catalog::parse(csv.as_bytes()).unwrap();
    let data = ClusteredCatalog::build(
        catalog,
        &FeatureSpec::default(),
        &KMeansParams::new(2),
        &mut |_| {},
    )
    .unwrap();
    Session::new(data)
}

fn source(file: u32) -> Source {
    Source {
        name: format!("file {file}"),
        file: FileId(file),
        ratings: None,
        roles: None,
        filter: ImdbFilter::default(),
        identity: format!("file {file}:100:0"),
        workbook: None,
        split: None,
    }
}

fn pending(job: u32, file: u32) -> Pending {
    Pending {
        job: Some(JobId(job)),
        source: source(file),
        settings: Settings::default(),
        stage: Phase::Starting,
    }
}

fn built(job: u32) -> Action {
    Action::Built {
        job: JobId(job),
        overview: Box::new(session().overview()),
        notes: vec![Note::Unshared("a reason".into())],
    }
}

fn apply(state: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
    actions.into_iter().fold(state, AppState::apply)
}

/// The default catalog built as job 1 from file 1.
fn ready() -> Rc<AppState> {
    apply(Rc::default(), [Action::Started(pending(1, 1)), built(1)])
}

fn card(selection: Option<Selection>) -> Box<Card> {
    Box::new(session().card(selection.as_ref(), &[], &[]))
}

#[test]
fn a_build_shows_progress_and_becomes_the_catalog_in_use() {
    let s = apply(Rc::default(), [Action::Started(pending(1, 1))]);
    assert_eq!(s.pending.as_ref().unwrap().stage, Phase::Starting);
    let s = apply(
        s,
        [Action::Progress {
            job: JobId(1),
            stage: Stage::Parsing(0.5),
        }],
    );
    assert_eq!(
        s.pending.as_ref().unwrap().stage,
        Phase::Working(Stage::Parsing(0.5))
    );
    let s = apply(s, [built(1)]);
    assert!(s.pending.is_none());
    let loaded = s.loaded.as_ref().unwrap();
    assert_eq!((loaded.job, loaded.overview.titles), (JobId(1), 12));
    assert_eq!(loaded.notes, [Note::Unshared("a reason".into())]);
    assert_eq!(s.source, Some(source(1)));
    let elbow = s.elbow.as_ref().unwrap();
    assert_eq!(
        (elbow.job, elbow.k_max, elbow.next_k()),
        (JobId(1), 12, Some(2))
    );
}

#[test]
fn answers_to_another_job_change_nothing() {
    let s = apply(ready(), [Action::Started(pending(2, 2))]);
    for stale in [
        Action::Progress {
            job: JobId(1),
            stage: Stage::Projecting,
        },
        built(3),
        Action::Failed {
            job: Some(JobId(9)),
            message: "a cancelled build".into(),
        },
        Action::Card {
            job: JobId(2),
            selection: None,
            card: card(None),
        },
        Action::Hits {
            job: JobId(7),
            query: "t".into(),
            hits: Vec::new(),
        },
        Action::ElbowPoint {
            job: JobId(2),
            point: ElbowPoint {
                k: 2,
                inertia: 1.0,
                silhouette: None,
            },
        },
        Action::UsersReady(JobId(5), Box::new(report())),
    ] {
        let after = s.clone().apply(stale);
        assert!(Rc::ptr_eq(&after, &s), "a stale answer made a new state");
    }
}

#[test]
fn cancelling_keeps_the_catalog_in_use() {
    let before = ready();
    let s = apply(
        before.clone(),
        [Action::Started(pending(2, 1)), Action::Cancelled],
    );
    assert!(s.pending.is_none());
    assert_eq!(s.cancels, before.cancels + 1, "the tuning panel is told");
    assert!(Rc::ptr_eq(
        s.loaded.as_ref().unwrap(),
        before.loaded.as_ref().unwrap()
    ));
    // The cancelled build's late failure is ignored.
    let late = s.clone().apply(Action::Failed {
        job: Some(JobId(2)),
        message: "terminated".into(),
    });
    assert!(Rc::ptr_eq(&late, &s));
}

#[test]
fn a_failed_build_says_the_previous_catalog_stays() {
    let s = apply(
        ready(),
        [
            Action::Started(pending(2, 2)),
            Action::Failed {
                job: Some(JobId(2)),
                message: "line 3: a quoted field is never closed".into(),
            },
        ],
    );
    assert!(s.pending.is_none());
    assert_eq!(
        s.error.as_deref(),
        Some("line 3: a quoted field is never closed. The previous catalog is still in use.")
    );
    assert_eq!(s.loaded.as_ref().unwrap().job, JobId(1));
}

#[test]
fn a_failure_outside_a_job_ends_reading_and_the_default_download() {
    let downloading = Pending {
        job: None,
        ..pending(0, 1)
    };
    let s = apply(
        Rc::default(),
        [
            Action::Started(downloading),
            Action::Reading(Some("reading x.csv".into())),
            Action::Failed {
                job: None,
                message: "cannot download catalog.csv: HTTP 404".into(),
            },
        ],
    );
    assert!(s.pending.is_none() && s.reading.is_none());
    assert_eq!(
        s.error.as_deref(),
        Some("cannot download catalog.csv: HTTP 404.")
    );
    // With a build in flight, a failure outside it leaves the build alone.
    let s = apply(
        ready(),
        [
            Action::Started(pending(2, 2)),
            Action::Failed {
                job: None,
                message: "elbow curve: no rows".into(),
            },
        ],
    );
    assert_eq!(s.pending.as_ref().unwrap().job, Some(JobId(2)));
}

#[test]
fn re_clustering_keeps_the_selection_and_a_new_catalog_honours_a_deep_link() {
    let s = apply(ready(), [Action::Select(Some(3))]);
    let panel = card(s.selected.clone());
    let id = panel.selected.as_ref().unwrap().movie.id.clone();
    let s = apply(
        s.clone(),
        [
            Action::Card {
                job: JobId(1),
                selection: s.selected.clone(),
                card: panel,
            },
            Action::Started(pending(2, 1)),
            built(2),
        ],
    );
    assert_eq!(
        s.selected,
        Some(Selection::Id(id)),
        "same files: same movie"
    );
    // A link read before any catalog is ready waits for one.
    let s = apply(Rc::default(), [Action::SelectId(Some("m5".into()))]);
    assert_eq!(
        (s.selected.clone(), s.wanted_id.as_deref()),
        (None, Some("m5"))
    );
    let s = apply(s, [Action::Started(pending(1, 1)), built(1)]);
    assert_eq!(s.selected, Some(Selection::Id("m5".into())));
    assert!(s.wanted_id.is_none());
}

#[test]
fn a_crashed_session_is_restored_a_few_times_then_the_user_is_told_to_reload() {
    let mut s = ready();
    for crash in 1..=MAX_WORKER_RESTARTS {
        s = apply(
            s,
            [Action::SessionCrashed(
                "the background worker crashed".into(),
            )],
        );
        assert_eq!(s.session_crashes, crash, "a restore is asked for");
        assert!(s
            .error
            .as_deref()
            .unwrap()
            .ends_with("a new worker is restoring it."));
        s = apply(
            s,
            [Action::Restoring(pending(crash + 1, 1)), built(crash + 1)],
        );
        assert!(s.pending.is_none() && s.loaded.is_some());
    }
    let s = apply(
        s,
        [Action::SessionCrashed(
            "the background worker crashed".into(),
        )],
    );
    assert_eq!(s.session_crashes, MAX_WORKER_RESTARTS, "no more restores");
    assert!(s.error.as_deref().unwrap().ends_with("reload the page."));
}

#[test]
fn a_crashed_helper_ends_reading_and_the_users_job() {
    let s = apply(
        ready(),
        [
            Action::Reading(Some("reading".into())),
            Action::UsersStarted(JobId(4)),
            Action::HelperCrashed("the background worker crashed".into()),
        ],
    );
    assert!(s.reading.is_none() && s.users_job.is_none());
    assert!(s
        .error
        .as_deref()
        .unwrap()
        .contains("A new worker will take the next file"));
}

#[test]
fn answers_for_the_catalog_in_use_are_shown() {
    let s = apply(ready(), [Action::Select(Some(2))]);
    assert!(s.card_pending(), "selected, no answer yet");
    let s = apply(
        s.clone(),
        [
            Action::Card {
                job: JobId(1),
                selection: s.selected.clone(),
                card: card(s.selected.clone()),
            },
            Action::Hits {
                job: JobId(1),
                query: "title 1".into(),
                hits: session().search("title 1", 8),
            },
        ],
    );
    assert_eq!(
        s.card
            .as_ref()
            .unwrap()
            .selected
            .as_ref()
            .unwrap()
            .movie
            .title,
        "Title 2"
    );
    assert_eq!(s.hits.as_ref().unwrap().0, "title 1");
    assert!(!s.hits.as_ref().unwrap().1.is_empty());
    assert!(!s.card_pending());
    // A panel for a selection since replaced is an earlier question's answer.
    let s = apply(s, [Action::Select(Some(4))]);
    assert!(s.card_pending());
    let stale = s.clone().apply(Action::Card {
        job: JobId(1),
        selection: Some(Selection::Index(2)),
        card: card(Some(Selection::Index(2))),
    });
    assert!(Rc::ptr_eq(&stale, &s));
    // Selecting past the end selects nothing.
    assert_eq!(apply(s, [Action::Select(Some(99))]).selected, None);
}

#[test]
fn the_elbow_curve_fills_in_order_and_suggests_k_when_complete() {
    let point = |k: usize, inertia: f64| Action::ElbowPoint {
        job: JobId(1),
        point: ElbowPoint {
            k,
            inertia,
            silhouette: Some(0.5),
        },
    };
    let s = apply(ready(), [point(2, 100.0)]);
    // Out of order: ignored.
    let skipped = s.clone().apply(point(4, 10.0));
    assert!(Rc::ptr_eq(&skipped, &s));
    let mut s = s;
    for k in 3..=12 {
        s = s.apply(point(k, 100.0 / k as f64));
    }
    let elbow = s.elbow.as_ref().unwrap();
    assert_eq!((elbow.points.len(), elbow.next_k()), (11, None));
    assert!(elbow.suggested().is_some());
}

#[test]
fn exports_are_named_after_their_catalog() {
    assert_eq!(
        export_file_name("movies.csv + ratings", "clusters.csv"),
        "movies-clusters.csv"
    );
    assert_eq!(
        export_file_name("title.basics.tsv.gz + ratings", "model.json"),
        "title.basics-model.json"
    );
    assert_eq!(
        export_file_name("TMDB 5000 (default catalog)", "clusters.csv"),
        "TMDB-5000-clusters.csv"
    );
    assert_eq!(
        export_file_name("Meine Filme/2024?.CSV", "clusters.csv"),
        "Meine-Filme-2024-clusters.csv"
    );
    assert_eq!(
        export_file_name(".csv", "clusters.csv"),
        "reelmeans-clusters.csv"
    );
}

#[test]
fn an_upload_is_read_mapped_and_closed() {
    let mapping = Mapping {
        source: source(3),
        headers: vec!["Film".into(), "Kind".into()],
        roles: vec![ColumnRole::Title, ColumnRole::Ignore],
        examples: vec![vec!["Heat".into()], vec!["Crime".into()]],
        rows: 1,
        approximate: false,
        imdb: true,
        readings: Vec::new(),
    };
    let s = apply(
        ready(),
        [
            Action::ShowError("old".into()),
            Action::Reading(Some("reading x.csv".into())),
            Action::Inspected(mapping),
        ],
    );
    assert!(s.reading.is_none() && s.error.is_none());
    let s = apply(
        s,
        [
            Action::SetRole(1, ColumnRole::Genres),
            Action::SetRole(7, ColumnRole::Year),
            Action::SetImdbFilter(ImdbFilter {
                min_votes: 25_000,
                tv_movies: true,
            }),
        ],
    );
    assert_eq!(s.mapping.as_ref().unwrap().source.filter.min_votes, 25_000);
    assert_eq!(
        s.mapping.as_ref().unwrap().roles,
        [ColumnRole::Title, ColumnRole::Genres]
    );
    // Starting its build closes the table; so does closing it.
    let built = apply(s.clone(), [Action::Started(pending(2, 3))]);
    assert!(built.mapping.is_none());
    assert!(apply(s, [Action::CloseMapping]).mapping.is_none());
}

fn report() -> UserReport {
    UserReport {
        users: vec!["u1".into()],
        labels: vec![0],
        profiles: vec![Vec::new()],
        recommendations: vec![Vec::new()],
        history: vec![Vec::new()],
        strength: crate::interactions::Strength::Rating,
        scores: Vec::new(),
        notes: Vec::new(),
    }
}

#[test]
fn the_users_view_arrives_for_its_own_job() {
    let s = apply(
        ready(),
        [
            Action::ShowError("x".into()),
            Action::UsersStarted(JobId(5)),
        ],
    );
    assert_eq!((s.users_job, s.error.as_deref()), (Some(JobId(5)), None));
    let s = apply(s, [Action::UsersReady(JobId(5), Box::new(report()))]);
    assert!(s.users_job.is_none());
    assert_eq!(s.users.as_ref().unwrap().users, ["u1"]);
    // A failed users job ends it with a message; the catalog stays.
    let s = apply(
        s,
        [
            Action::UsersStarted(JobId(6)),
            Action::Failed {
                job: Some(JobId(6)),
                message: "choose two files".into(),
            },
        ],
    );
    assert!(s.users_job.is_none());
    assert!(s
        .error
        .as_deref()
        .unwrap()
        .starts_with("choose two files. "));
    assert!(s.loaded.is_some());
}

#[test]
fn every_error_is_a_sentence() {
    for (message, shown) in [
        ("the file is empty", "the file is empty."),
        ("it keeps crashing!", "it keeps crashing!"),
        ("already a sentence. ", "already a sentence."),
    ] {
        let s = apply(Rc::default(), [Action::ShowError(message.into())]);
        assert_eq!(s.error.as_deref(), Some(shown));
    }
    let s = apply(
        ready(),
        [Action::SessionCrashed("the worker crashed".into())],
    );
    assert!(s
        .error
        .as_deref()
        .unwrap()
        .starts_with("the worker crashed. The previous"));
    let s = apply(
        ready(),
        [Action::HelperCrashed("the worker crashed.".into())],
    );
    assert_eq!(
        s.error.as_deref(),
        Some("the worker crashed. A new worker will take the next file.")
    );
}

#[test]
fn marks_toggle_and_clear_and_errors_show_and_dismiss() {
    let s = apply(
        Rc::default(),
        [
            Action::ToggleWatched("m1".into()),
            Action::ToggleLiked("m2".into()),
            Action::ToggleLiked("m3".into()),
            Action::ToggleLiked("m3".into()),
        ],
    );
    assert_eq!(s.watched, BTreeSet::from(["m1".to_string()]));
    assert_eq!(s.liked, BTreeSet::from(["m2".to_string()]));
    let s = apply(s, [Action::ClearMarks]);
    assert!(s.watched.is_empty() && s.liked.is_empty());
    let s = apply(
        s,
        [
            Action::Reading(Some("r".into())),
            Action::ShowError("bad file.".into()),
        ],
    );
    assert_eq!(
        (s.error.as_deref(), s.reading.as_deref()),
        (Some("bad file."), None)
    );
    assert!(apply(s, [Action::DismissError]).error.is_none());
}

#[test]
fn counts_read_as_words() {
    assert_eq!(counted(1, "cluster"), "1 cluster");
    assert_eq!(counted(0, "title"), "0 titles");
    assert_eq!(counted(4803, "title"), "4,803 titles");
    assert_eq!(thousands(1_234_567), "1,234,567");
    let s = ready();
    let line = ready_line(s.loaded.as_ref().unwrap());
    assert!(
        line.starts_with("ready — ") && line.contains(" from file 1 in "),
        "{line}"
    );
}

#[test]
fn a_link_to_a_movie_the_catalog_lacks_says_so() {
    let s = apply(ready(), [Action::SelectId(Some("no-such-id".into()))]);
    let job = s.loaded.as_ref().unwrap().job;
    let answer = |selection: Option<Selection>| Action::Card {
        job,
        card: card(selection.clone()),
        selection,
    };
    let s = apply(s, [answer(Some(Selection::Id("no-such-id".into())))]);
    let error = s.error.as_deref().unwrap_or_default();
    assert!(
        error.contains("id no-such-id") && error.contains("does not have"),
        "{error}"
    );
    assert!(s.selected.is_none() && s.card.as_ref().unwrap().selected.is_none());
    // A known id is no error.
    let id = session()
        .card(Some(&Selection::Index(0)), &[], &[])
        .selected
        .unwrap()
        .movie
        .id;
    let s = apply(ready(), [Action::SelectId(Some(id.clone()))]);
    let s = apply(s, [answer(Some(Selection::Id(id)))]);
    assert!(s.error.is_none() && s.selected.is_some());
}

/// Liking row 597 of an uploaded file must not show up as a like of the
/// default catalog's id 597 (Titanic), and each catalog gets its own
/// marks back.
#[test]
fn marks_stay_with_the_catalog_they_were_made_in() {
    let marks = |ids: &[&str]| ids.iter().map(|i| i.to_string()).collect::<BTreeSet<_>>();
    let s = apply(
        ready(),
        [Action::MarksLoaded {
            catalog: source(1).identity,
            watched: marks(&[]),
            liked: marks(&["19995"]),
        }],
    );
    assert_eq!(s.marks_of, Some(source(1).identity));
    // Re-clustering the same catalog keeps its marks.
    let s = apply(s, [Action::Started(pending(2, 1)), built(2)]);
    assert_eq!(s.liked, marks(&["19995"]));
    // Another catalog starts with none, then gets its own.
    let s = apply(s, [Action::Started(pending(3, 2)), built(3)]);
    assert!(s.liked.is_empty() && s.watched.is_empty() && s.marks_of.is_none());
    let s = apply(s, [Action::ToggleLiked("597".into())]);
    assert_eq!(s.liked, marks(&["597"]));
    let s = apply(
        s,
        [Action::MarksLoaded {
            catalog: source(2).identity,
            watched: marks(&["12"]),
            liked: marks(&["597"]),
        }],
    );
    assert_eq!(
        (s.marks_of.clone(), s.watched.clone()),
        (Some(source(2).identity), marks(&["12"]))
    );
    // Back to the first catalog: not the upload's "597".
    let s = apply(s, [Action::Started(pending(4, 1)), built(4)]);
    assert!(s.liked.is_empty() && s.marks_of.is_none());
    // Marks read for a catalog no longer in use are dropped.
    let stale = apply(
        s.clone(),
        [Action::MarksLoaded {
            catalog: source(2).identity,
            watched: marks(&[]),
            liked: marks(&["597"]),
        }],
    );
    assert!(Rc::ptr_eq(&stale, &s));
}

#[test]
fn k_out_of_range_is_refused_with_a_sentence() {
    assert_eq!(k_refusal(24, 4803), None);
    assert_eq!(k_refusal(4803, 4803), None);
    assert_eq!(
        k_refusal(5000, 4803).as_deref(),
        Some("k = 5,000 is more than the 4,803 titles of this catalog: choose k ≤ 4,803")
    );
    assert!(k_refusal(0, 4803).unwrap().contains("at least 1"));
}
