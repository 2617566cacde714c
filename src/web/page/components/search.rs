//! The title search box with instant, keyboard-navigable suggestions.

use crate::search::MatchKind;
use crate::session::Hit;
use crate::web::page::workers::Workers;
use crate::web::state::JobId;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The latest suggestions and what choosing one selects.
#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// The page's workers.
    pub workers: Workers,
    /// The latest results from the worker and the query they answer.
    pub hits: Option<Rc<(String, Vec<Hit>)>>,
    /// The build of the catalog in use: when it changes, an open query is
    /// asked again, so the list answers from the new catalog.
    pub catalog: JobId,
    /// Called with a catalog index when a suggestion is chosen.
    pub on_select: Callback<usize>,
}

/// Search box.
#[component]
pub fn SearchBox(props: &SearchProps) -> Html {
    let query = use_state(String::new);
    let active = use_state(|| 0usize);
    let open = use_state(|| false);
    let workers = props.workers.clone();
    {
        let (workers, query) = (workers.clone(), query.clone());
        use_effect_with(props.catalog, move |_| {
            if !query.is_empty() {
                workers.search((*query).clone());
            }
            || ()
        });
    }
    // The worker answers in a few milliseconds; until then the previous list
    // stays (what is shown is what a click or Enter selects).
    let answered = props.hits.as_ref().is_some_and(|h| h.0 == *query);
    let hits: Rc<Vec<Hit>> = Rc::new(props.hits.as_ref().map(|h| h.1.clone()).unwrap_or_default());
    let choose = {
        let on_select = props.on_select.clone();
        let query = query.clone();
        let open = open.clone();
        Callback::from(move |index: usize| {
            query.set(String::new());
            open.set(false);
            on_select.emit(index);
        })
    };
    let oninput = {
        let query = query.clone();
        let active = active.clone();
        let open = open.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            if !value.is_empty() {
                workers.search(value.clone());
            }
            query.set(value);
            active.set(0);
            open.set(true);
        })
    };
    let onkeydown = {
        let hits = hits.clone();
        let active = active.clone();
        let choose = choose.clone();
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" if !hits.is_empty() => {
                e.prevent_default();
                active.set((*active + 1) % hits.len());
            }
            "ArrowUp" if !hits.is_empty() => {
                e.prevent_default();
                active.set((*active + hits.len() - 1) % hits.len());
            }
            "Enter" => {
                if let Some(hit) = hits.get(*active) {
                    choose.emit(hit.movie.index);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        })
    };
    // The list closes when focus leaves the box (a click or tap elsewhere)
    // and opens again when it comes back.
    let onblur = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(false))
    };
    let onfocus = {
        let (open, query) = (open.clone(), query.clone());
        Callback::from(move |_: FocusEvent| open.set(!query.is_empty()))
    };
    // Pressing on the list must not take the focus from the box (which
    // would close the list before the click lands).
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());
    let listed = *open && !query.is_empty() && !hits.is_empty();
    let fuzzy = hits.first().is_some_and(|h| h.kind == MatchKind::Fuzzy);
    let first_guess = hits.iter().position(|h| h.kind == MatchKind::Fuzzy);
    html! {
        <div class="search">
            <label for="search">{"Find a movie"}</label>
            // The ARIA 1.2 combobox: the box names its list while it is open
            // and the highlighted suggestion, which a screen reader announces.
            <input id="search" data-testid="search-input" type="search" autocomplete="off" role="combobox"
                placeholder="Type a title, e.g. Alien" value={(*query).clone()} {oninput} {onkeydown} {onblur} {onfocus}
                aria-expanded={listed.to_string()} aria-haspopup="listbox" aria-autocomplete="list"
                aria-controls={listed.then_some("suggestions")}
                aria-activedescendant={(listed && *active < hits.len()).then(|| format!("suggestion-{}", *active))} />
            if *open && !query.is_empty() {
                <ul id="suggestions" class="suggestions" role="listbox" onmousedown={keep_focus}
                    data-query={props.hits.as_ref().map(|h| h.0.clone()).unwrap_or_default()}>
                    if fuzzy { <li class="hint" role="presentation">{"No exact match. Did you mean:"}</li> }
                    if hits.is_empty() && answered { <li class="hint" role="presentation">{"No title matches."}</li> }
                    { for hits.iter().enumerate().map(|(i, hit)| {
                        let m = &hit.movie;
                        let onclick = { let choose = choose.clone(); let index = m.index; Callback::from(move |_| choose.emit(index)) };
                        let class = if i == *active { "active" } else { "" };
                        html! {
                            <>
                            if !fuzzy && first_guess == Some(i) { <li class="hint" role="presentation">{"Close to what you typed:"}</li> }
                            <li id={format!("suggestion-{i}")} data-testid="search-result" data-kind={format!("{:?}", hit.kind).to_lowercase()} role="option" aria-selected={(i == *active).to_string()} {class} {onclick}>
                                <span class="title">{&m.title}</span>
                                if let Some(y) = m.year { <span class="muted">{format!(" ({y})")}</span> }
                            </li>
                            </>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
