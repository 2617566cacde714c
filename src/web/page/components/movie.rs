//! The selected movie, its recommendations, and the watched / liked lists.
//! The session worker computes the panel (a [`Card`]); this draws it.

use crate::session::{Brief, Card, Pick};
use crate::web::page::workers::Workers;
use crate::web::state::Action;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// The movie panel, the user's marks and what a click on a recommendation selects.
#[derive(Properties, PartialEq)]
pub struct MovieProps {
    /// The page's workers.
    pub workers: Workers,
    /// The panel for the current selection and marks (until the first answer, none).
    pub card: Option<Rc<Card>>,
    /// Watched ids.
    pub watched: BTreeSet<String>,
    /// Liked ids.
    pub liked: BTreeSet<String>,
    /// Number of clusters.
    pub clusters: usize,
    /// Select a movie.
    pub on_select: Callback<usize>,
    /// The selection's cluster file is being fetched (a split catalog).
    #[prop_or_default]
    pub fetching: bool,
}

/// Details, recommendations, and the liked profile.
#[component]
pub fn MovieView(props: &MovieProps) -> Html {
    let workers = props.workers.clone();
    let dispatch = move |action: Action| {
        workers.dispatch(action);
    };
    let toggle = |id: &str, watched_button: bool| {
        let dispatch = dispatch.clone();
        let id = id.to_string();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch(if watched_button {
                Action::ToggleWatched(id.clone())
            } else {
                Action::ToggleLiked(id.clone())
            });
        })
    };
    let marks = |movie: &Brief| {
        let id = &movie.id;
        let (w, l) = (props.watched.contains(id), props.liked.contains(id));
        html! {
            <span class="marks">
                <button class={classes!("mark", w.then_some("on"))} aria-pressed={w.to_string()} onclick={toggle(id, true)}
                    title="Watched titles are hidden from recommendations">{ if w { "✓ Watched" } else { "Mark watched" } }</button>
                <button class={classes!("mark", l.then_some("on"))} aria-pressed={l.to_string()} onclick={toggle(id, false)}>
                    { if l { "♥ Liked" } else { "♡ Like" } }</button>
            </span>
        }
    };
    let list = |picks: &[Pick]| {
        html! {
            <ol class="recs">
                { for picks.iter().map(|p| {
                    let m = &p.movie;
                    let onclick = { let s = props.on_select.clone(); let i = m.index; Callback::from(move |_| s.emit(i)) };
                    // The title is the button (Enter and Space work on it); a
                    // click anywhere on the row selects too. The marks are
                    // buttons of their own beside it, never inside it.
                    html! {
                        <li data-testid="recommendation" data-cluster={m.cluster.to_string()} data-index={m.index.to_string()} {onclick}>
                            <button type="button" class="pick">
                                <span class="title">{&m.title}</span>
                                if let Some(y) = m.year { <span class="muted">{format!(" ({y})")}</span> }
                            </button>
                            <span class="reason">{p.reason.to_string()}</span>
                            { marks(m) }
                        </li>
                    }
                }) }
            </ol>
        }
    };
    let Some(card) = &props.card else {
        return html! { <p class="placeholder">{"Loading recommendations…"}</p> };
    };

    let selected = card.selected.as_ref().map(|d| {
        let m = &d.movie;
        let fact = |label: &str, value: Option<String>| value.map(|v| html! { <><dt>{label}</dt><dd>{v}</dd></> });
        html! {
            <section class="card selected" aria-labelledby="selected-title">
                <h2 id="selected-title" data-testid="selected-title" data-cluster={m.cluster.to_string()} data-index={m.index.to_string()}>{&m.title}</h2>
                <dl class="facts">
                    { fact("Year", m.year.map(|y| y.to_string())).unwrap_or_default() }
                    { fact("Genres", (!d.genres.is_empty()).then(|| d.genres.join(", "))).unwrap_or_default() }
                    { fact("Runtime", d.runtime.map(|r| format!("{r:.0} min"))).unwrap_or_default() }
                    { fact("Rating", d.rating.map(|r| format!("{r:.1}"))).unwrap_or_default() }
                    { fact("Votes", d.votes.map(|v| super::thousands(v as usize))).unwrap_or_default() }
                    { fact("Language", d.language.clone()).unwrap_or_default() }
                    <dt>{"Cluster"}</dt><dd>{format!("{} of {}", m.cluster + 1, props.clusters)}</dd>
                </dl>
                { marks(m) }
                if let Some(link) = &d.link {
                    <a class="out" href={link.clone()} target="_blank" rel="noopener noreferrer">{"More about this title ↗"}</a>
                }
                <h3>{format!("Similar titles from cluster {}", m.cluster + 1)}</h3>
                if d.similar.is_empty() {
                    <p class="muted">{"This cluster has no other titles you have not watched."}</p>
                } else {
                    { list(&d.similar) }
                }
            </section>
        }
    });

    let profile = (!card.liked.is_empty()).then(|| {
        let names: Vec<&str> = card.liked.iter().take(3).map(String::as_str).collect();
        let more = if card.liked.len() > 3 {
            format!(" and {} more", card.liked.len() - 3)
        } else {
            String::new()
        };
        html! {
            <section class="card">
                <h2>{format!("Because you liked {}{more}", names.join(", "))}</h2>
                { list(&card.for_liked) }
            </section>
        }
    });
    let cold_start = (!card.popular.is_empty()).then(|| {
        html! {
            <section class="card">
                <h2>{"Top rated in this catalog"}</h2>
                <p class="muted">{"Search for a movie you enjoyed to see what its cluster recommends."}</p>
                { list(&card.popular) }
            </section>
        }
    });
    let clear = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch(Action::ClearMarks))
    };
    let marked = props.watched.len() + props.liked.len();
    html! {
        <>
            if props.fetching {
                <p class="muted" role="status" data-testid="fetching-cluster">{"Fetching the selected title's cluster from the site…"}</p>
            }
            { selected.unwrap_or_default() }
            { profile.unwrap_or_default() }
            { cold_start.unwrap_or_default() }
            if marked > 0 {
                <p class="muted marks-summary">
                    {format!("{} watched (hidden from recommendations), {} liked. ", props.watched.len(), props.liked.len())}
                    <button class="link" onclick={clear}>{"Clear all marks"}</button>
                </p>
            }
        </>
    }
}
