//! The inferred column roles of an upload, shown as a table the user can correct.

use crate::catalog::imdb::DEFAULT_MIN_VOTES;
use crate::catalog::ColumnRole;
use crate::catalog::ImdbFilter;
use crate::web::page::workers::Workers;
use crate::web::state::{Action, Mapping, Settings};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// An upload's inferred column roles and the settings its build will use.
#[derive(Properties, PartialEq)]
pub struct MappingProps {
    /// The page's workers.
    pub workers: Workers,
    /// The upload and its roles.
    pub mapping: Mapping,
    /// Settings to cluster it with.
    pub settings: Settings,
}

/// Mapping table with confirm and cancel.
#[component]
pub fn MappingTable(props: &MappingProps) -> Html {
    let workers = props.workers.clone();
    let m = &props.mapping;
    let dispatch = {
        let workers = workers.clone();
        move |a: Action| {
            workers.dispatch(a);
        }
    };
    let confirm = {
        let workers = workers.clone();
        let mapping = m.clone();
        let settings = props.settings.clone();
        Callback::from(move |_| {
            let mut source = mapping.source.clone();
            source.roles = Some(mapping.roles.clone());
            // k follows the new catalog's size unless the user sets it again.
            workers.build(
                source,
                Settings {
                    k: None,
                    ..settings.clone()
                },
            );
        })
    };
    let cancel = {
        let workers = workers.clone();
        Callback::from(move |_| workers.close_mapping())
    };
    let has_title = m.roles.contains(&ColumnRole::Title);
    let rows = if m.approximate {
        format!("about {} rows", super::thousands(m.rows))
    } else {
        super::counted(m.rows, "row")
    };
    html! {
        <section class="card mapping" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{format!("Check the columns of {} ({rows})", m.source.name)}</h2>
            if m.imdb { <ImdbOptions workers={workers.clone()} filter={m.source.filter} ratings={m.source.ratings.is_some()} /> }
            if let Some(book) = &m.source.workbook { <SheetPicker workers={workers.clone()} sheet={book.sheet.clone()} sheets={book.sheets.clone()} /> }
            <p class="muted">{"Each column's role was guessed from its name and values, and \"Read as\" says how its values were understood. Correct any role that is wrong, then cluster."}</p>
            <div class="table-wrap">
            <table>
                <thead><tr><th scope="col">{"Column"}</th><th scope="col">{"Role"}</th><th scope="col">{"Read as"}</th><th scope="col">{"Example values"}</th></tr></thead>
                <tbody>
                { for m.headers.iter().enumerate().map(|(c, header)| {
                    let dispatch = dispatch.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                        if let Some(role) = ColumnRole::from_name(&value) {
                            dispatch(Action::SetRole(c, role));
                        }
                    });
                    let id = format!("role-{c}");
                    let examples: Vec<String> = m.examples.get(c).into_iter().flatten().map(|v| v.chars().take(40).collect()).collect();
                    let role = m.roles[c];
                    html! {
                        <tr>
                            <th scope="row"><label for={id.clone()}>{header}</label></th>
                            <td><select {id} {onchange} data-column={header.clone()}>
                                { for ColumnRole::ALL.iter().map(|r| html! {
                                    <option value={r.name()} selected={role == *r} title={r.explain()}>{r.name()}</option>
                                }) }
                            </select>
                            <div class="muted role-help" data-testid="role-help">{role.explain()}</div></td>
                            <td data-testid="read-as">{ read_as(m, c, role) }</td>
                            <td class="muted">{ if examples.is_empty() { "(empty in the first rows)".to_string() } else { examples.join(" · ") } }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
            if !has_title { <p class="warn">{"Choose which column holds the titles."}</p> }
            <div class="actions">
                <button class="primary" data-testid="confirm-mapping" onclick={confirm} disabled={!has_title}>{"Use these columns and cluster"}</button>
                <button onclick={cancel}>{"Cancel"}</button>
            </div>
        </section>
    }
}

/// How the column's values are read under `role`: the detected format,
/// and how many of the sampled values it could not read.
fn read_as(m: &Mapping, col: usize, role: ColumnRole) -> Html {
    let Some(reading) = m.readings.get(col).and_then(|r| r.for_role(role)) else {
        return html! { <span class="muted">{"as text"}</span> };
    };
    if reading.failed == 0 {
        return html! { <span>{&reading.format}</span> };
    }
    let first = reading.example.as_deref().unwrap_or_default();
    html! {
        <>
            <span>{&reading.format}</span>
            <div class="warn" data-testid="unread">{format!(
                "{} of {} not understood (first: \"{}\")",
                super::thousands(reading.failed),
                super::thousands(reading.values),
                first.chars().take(30).collect::<String>()
            )}</div>
        </>
    }
}

/// The sheet picker's props.
#[derive(Properties, PartialEq)]
struct SheetPickerProps {
    workers: Workers,
    sheet: String,
    sheets: Vec<String>,
}

/// Which sheet of a workbook is the catalog.
#[component]
fn SheetPicker(props: &SheetPickerProps) -> Html {
    let onchange = {
        let workers = props.workers.clone();
        let current = props.sheet.clone();
        Callback::from(move |e: Event| {
            // The list keeps naming the sheet on screen until the new one
            // arrives (a sheet that cannot be read leaves it as it was).
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            let sheet = select.value();
            select.set_value(&current);
            workers.dispatch(Action::Reading(Some(format!("reading sheet '{sheet}'"))));
            workers.read_sheet(sheet);
        })
    };
    html! {
        <p class="sheet-picker">
            <label for="sheet">{"Sheet "}</label>
            <select id="sheet" data-testid="sheet" {onchange} disabled={props.sheets.len() < 2}>
                { for props.sheets.iter().map(|name| html! {
                    <option value={name.clone()} selected={*name == props.sheet}>{name}</option>
                }) }
            </select>
            <span class="muted">{if props.sheets.len() > 1 {
                format!(" of {} in the workbook (the first with a header row is read unless you choose)", props.sheets.len())
            } else {
                " (the workbook's only sheet)".to_string()
            }}</span>
        </p>
    }
}

/// The IMDb filter's props.
#[derive(Properties, PartialEq)]
struct ImdbOptionsProps {
    workers: Workers,
    filter: ImdbFilter,
    /// A title.ratings file came with the upload.
    ratings: bool,
}

/// Which rows of IMDb's title.basics become titles: a minimum of votes and
/// whether TV movies count.
#[component]
fn ImdbOptions(props: &ImdbOptionsProps) -> Html {
    let invalid = use_state(|| None::<String>);
    let filter = props.filter;
    let on_votes = {
        let (workers, invalid) = (props.workers.clone(), invalid.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            match value.trim().parse::<u32>() {
                Ok(min_votes) => {
                    invalid.set(None);
                    workers.dispatch(Action::SetImdbFilter(ImdbFilter {
                        min_votes,
                        ..filter
                    }));
                }
                Err(_) => invalid.set(Some(format!(
                    "'{value}' is not a number of votes; the minimum stays at {}",
                    super::thousands(filter.min_votes as usize)
                ))),
            }
        })
    };
    let on_tv = {
        let workers = props.workers.clone();
        Callback::from(move |e: Event| {
            let tv_movies = e.target_unchecked_into::<HtmlInputElement>().checked();
            workers.dispatch(Action::SetImdbFilter(ImdbFilter {
                tv_movies,
                ..filter
            }));
        })
    };
    html! {
        <fieldset class="imdb-filter" data-testid="imdb-filter">
            <legend>{"IMDb title.basics: which rows become titles"}</legend>
            <label>{"Minimum votes "}
                <input type="number" min="0" step="100" inputmode="numeric" data-testid="min-votes"
                    value={filter.min_votes.to_string()} onchange={on_votes} /></label>
            <label><input type="checkbox" data-testid="tv-movies" checked={filter.tv_movies} onchange={on_tv} />
                {" TV movies as well as movies"}</label>
            if let Some(message) = &*invalid { <p class="warn" role="alert">{message}</p> }
            <p class="muted">{format!(
                "Adult titles, episodes, shorts, series and games are left out as the file is read. \
                 The default minimum of {} votes keeps the titles known beyond their makers: \
                 tens of thousands of movies on the full dump. 0 keeps unrated titles too.",
                super::thousands(DEFAULT_MIN_VOTES as usize)
            )}</p>
            if !props.ratings {
                <p class="warn">{"No title.ratings file came with it, so there are no votes or ratings: every movie is kept. Choose both files to filter by votes."}</p>
            }
        </fieldset>
    }
}
