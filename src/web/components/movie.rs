//! The selected movie, its recommendations, and the watched / liked lists.

use crate::recommend::{Recommendation, Recommender};
use crate::web::app::Ctx;
use crate::web::state::{Action, Loaded};
use std::collections::{BTreeSet, HashSet};
use std::rc::Rc;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct MovieProps {
    /// The catalog.
    pub loaded: Rc<Loaded>,
    /// Selected catalog index.
    pub selected: Option<usize>,
    /// Watched ids.
    pub watched: BTreeSet<String>,
    /// Liked ids.
    pub liked: BTreeSet<String>,
    /// Select a movie.
    pub on_select: Callback<usize>,
}

const RECOMMENDATIONS: usize = 12;

/// Details, recommendations, and the liked profile.
#[component]
pub fn MovieView(props: &MovieProps) -> Html {
    let ctx = use_context::<Ctx>();
    let dispatch = move |action: Action| {
        if let Some(ctx) = &ctx {
            ctx.dispatch.dispatch(action);
        }
    };
    let data = &props.loaded.data;
    let movies = &data.catalog.movies;
    let indices_of = |ids: &BTreeSet<String>| -> Vec<usize> {
        ids.iter()
            .filter_map(|id| props.loaded.by_id.get(id).copied())
            .collect()
    };
    let watched: HashSet<usize> = indices_of(&props.watched).into_iter().collect();
    let liked = indices_of(&props.liked);
    let recommender = Recommender::with_members(data, &props.loaded.members);
    let toggle = |index: usize, watched_button: bool| {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            dispatch(if watched_button {
                Action::ToggleWatched(index)
            } else {
                Action::ToggleLiked(index)
            });
        })
    };
    let marks = |index: usize| {
        let id = &movies[index].id;
        let (w, l) = (props.watched.contains(id), props.liked.contains(id));
        html! {
            <span class="marks">
                <button class={classes!("mark", w.then_some("on"))} aria-pressed={w.to_string()} onclick={toggle(index, true)}
                    title="Watched titles are hidden from recommendations">{ if w { "✓ Watched" } else { "Mark watched" } }</button>
                <button class={classes!("mark", l.then_some("on"))} aria-pressed={l.to_string()} onclick={toggle(index, false)}>
                    { if l { "♥ Liked" } else { "♡ Like" } }</button>
            </span>
        }
    };
    let list = |recs: Vec<Recommendation>| {
        html! {
            <ol class="recs">
                { for recs.into_iter().map(|r| {
                    let m = &movies[r.index];
                    let onclick = { let s = props.on_select.clone(); let i = r.index; Callback::from(move |_| s.emit(i)) };
                    let onkeydown = { let s = props.on_select.clone(); let i = r.index; Callback::from(move |e: KeyboardEvent| if e.key() == "Enter" { s.emit(i) }) };
                    html! {
                        <li data-testid="recommendation" data-cluster={data.cluster_of(r.index).to_string()} tabindex="0" role="button" {onclick} {onkeydown}>
                            <span class="title">{&m.title}</span>
                            if let Some(y) = m.year { <span class="muted">{format!(" ({y})")}</span> }
                            <span class="reason">{&r.reason}</span>
                            { marks(r.index) }
                        </li>
                    }
                }) }
            </ol>
        }
    };

    let selected = props.selected.filter(|&i| i < movies.len()).map(|index| {
        let m = &movies[index];
        let cluster = data.cluster_of(index);
        let recs = recommender.similar_to(index, RECOMMENDATIONS, &watched);
        let link = data.catalog.source.link(&m.id);
        let fact = |label: &str, value: Option<String>| value.map(|v| html! { <><dt>{label}</dt><dd>{v}</dd></> });
        html! {
            <section class="card selected" aria-labelledby="selected-title">
                <h2 id="selected-title" data-testid="selected-title" data-cluster={cluster.to_string()}>{&m.title}</h2>
                <dl class="facts">
                    { fact("Year", m.year.map(|y| y.to_string())).unwrap_or_default() }
                    { fact("Genres", (!m.genres.is_empty()).then(|| m.genres.join(", "))).unwrap_or_default() }
                    { fact("Runtime", m.runtime.map(|r| format!("{r:.0} min"))).unwrap_or_default() }
                    { fact("Rating", m.rating.map(|r| format!("{r:.1}"))).unwrap_or_default() }
                    { fact("Votes", m.votes.map(|v| super::thousands(v as usize))).unwrap_or_default() }
                    { fact("Language", m.language.clone()).unwrap_or_default() }
                    <dt>{"Cluster"}</dt><dd>{format!("{cluster} of {}", data.model.k())}</dd>
                </dl>
                { marks(index) }
                if let Some(link) = link {
                    <a class="out" href={link} target="_blank" rel="noopener noreferrer">{"More about this title ↗"}</a>
                }
                <h3>{format!("Similar titles from cluster {cluster}")}</h3>
                if recs.is_empty() {
                    <p class="muted">{"This cluster has no other titles you have not watched."}</p>
                } else {
                    { list(recs) }
                }
            </section>
        }
    });

    let profile = (!liked.is_empty()).then(|| {
        let mut exclude = watched.clone();
        exclude.extend(liked.iter().copied());
        let recs = recommender.for_profile(&liked, 8, &exclude);
        let names: Vec<&str> = liked
            .iter()
            .take(3)
            .map(|&i| movies[i].title.as_str())
            .collect();
        let more = if liked.len() > 3 {
            format!(" and {} more", liked.len() - 3)
        } else {
            String::new()
        };
        html! {
            <section class="card">
                <h3>{format!("Because you liked {}{more}", names.join(", "))}</h3>
                { list(recs) }
            </section>
        }
    });
    let cold_start = (props.selected.is_none() && liked.is_empty()).then(|| {
        html! {
            <section class="card">
                <h3>{"Top rated in this catalog"}</h3>
                <p class="muted">{"Search for a movie you enjoyed to see what its cluster recommends."}</p>
                { list(recommender.popular(8, &watched)) }
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
