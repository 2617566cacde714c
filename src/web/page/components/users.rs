//! The users view (course mode): clusters of users by what they consume,
//! what a user's peers engaged with, and the offline evaluation as a chart.

use super::upload::files_of;

/// Largest file the users view takes: it reads both files whole.
const MAX_FILE_BYTES: f64 = 200.0 * 1024.0 * 1024.0;
use super::Chart;
use crate::evaluate::UserReport;
use crate::interactions::Strength;
use crate::web::page::workers::Workers;
use crate::web::state::Action;
use serde_json::json;
use std::rc::Rc;
use web_sys::{File, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The users view once computed, and whether it is being computed.
#[derive(Properties, PartialEq)]
pub struct UsersProps {
    /// The page's workers.
    pub workers: Workers,
    /// The report, once computed.
    pub report: Option<Rc<UserReport>>,
    /// A users job is running.
    pub busy: bool,
}

/// Users panel.
#[component]
pub fn UsersPanel(props: &UsersProps) -> Html {
    let workers = props.workers.clone();
    let user = use_state(|| 0usize);
    // What the find box holds, lower case.
    let found = use_state(String::new);
    let onchange = {
        let workers = workers.clone();
        let user = user.clone();
        let found = found.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = files_of(input.files());
            input.set_value("");
            let fail = |m: String| workers.dispatch(Action::ShowError(m));
            if let Some(big) = files.iter().find(|f| f.size() > MAX_FILE_BYTES) {
                return fail(format!(
                    "{} is larger than the {:.0} MB limit",
                    big.name(),
                    MAX_FILE_BYTES / 1048576.0
                ));
            }
            match <[File; 2]>::try_from(files) {
                // The worker reads both files (the page never copies them).
                Ok([a, b]) => {
                    user.set(0);
                    found.set(String::new());
                    workers.users(a.into(), b.into());
                }
                Err(_) => fail("choose two files together: the interactions (user, item, rating or progress) and the items (id, title, categories)".into()),
            }
        })
    };
    let on_user = {
        let user = user.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
            {
                user.set(i);
            }
        })
    };
    let on_find = {
        let (user, report) = (user.clone(), props.report.clone());
        let found = found.clone();
        Callback::from(move |e: InputEvent| {
            let query = e.target_unchecked_into::<HtmlInputElement>().value();
            let Some(r) = &report else { return };
            // The list narrows to the ids holding the query; an exact id is picked.
            if let Some(i) = r
                .users
                .iter()
                .position(|id| id.eq_ignore_ascii_case(query.trim()))
            {
                user.set(i);
            }
            found.set(query.trim().to_lowercase());
        })
    };
    let body = props.report.as_ref().map(|r| {
        let u = (*user).min(r.users.len().saturating_sub(1));
        let rated = r.strength == Strength::Rating;
        let shown = |s: f32| if rated { format!("{s:.1}") } else { format!("{:.0}%", s * 100.0) };
        let history: Vec<String> = r.history.get(u).into_iter().flatten()
            .map(|(title, s)| format!("{title} ({})", shown(*s)))
            .collect();
        // The list shows the users whose id holds what was typed (and the one chosen).
        let matches = |i: usize| found.is_empty() || r.users[i].to_lowercase().contains(found.as_str());
        let matching = (0..r.users.len()).filter(|&i| matches(i)).count();
        let listed: Vec<usize> = (0..r.users.len()).filter(|&i| i == u || matches(i)).collect();
        let cluster = r.labels.get(u).copied().unwrap_or(0) as usize;
        let profile: Vec<String> = r.profiles.get(cluster).map_or(Vec::new(), |p| {
            p.iter().map(|(name, v)| format!("{} ({v:.2})", name.trim_start_matches("avg_"))).collect()
        });
        let members = r.labels.iter().filter(|&&l| l as usize == cluster).count();
        let chart = (!r.scores.is_empty()).then(|| {
            let names: Vec<&str> = r.scores.iter().map(|s| s.name.as_str()).collect();
            let datasets: Vec<_> = [5usize, 10, 25]
                .iter()
                .zip(["#90cdf4", "#2b6cb0", "#1a365d"])
                .map(|(&k, colour)| json!({ "label": format!("NDCG@{k}"), "backgroundColor": colour,
                    "data": r.scores.iter().map(|s| s.ndcg(k).unwrap_or(0.0)).collect::<Vec<_>>() }))
                .collect();
            json!({ "type": "bar", "data": { "labels": names, "datasets": datasets },
                "options": { "animation": false, "maintainAspectRatio": false, "indexAxis": "y",
                    "scales": { "x": { "title": { "display": true, "text": "NDCG (higher is better)" } } } } })
        });
        html! {
            <>
                <div class="user-picker">
                    <label for="user-find">{"Find a user"}</label>
                    <input id="user-find" type="search" data-testid="user-search" placeholder="user id, e.g. 42" oninput={on_find.clone()} />
                    <label for="user-select">{format!("User ({} in {})", super::thousands(r.users.len()), super::counted(r.profiles.len(), "cluster"))}</label>
                    <select id="user-select" data-testid="user-select" onchange={on_user.clone()}>
                        { for listed.iter().map(|&i| html! { <option value={i.to_string()} selected={i == u}>{&r.users[i]}</option> }) }
                    </select>
                    if matching < r.users.len() { <span class="muted" data-testid="user-matches">{format!(" {} of {} users match", super::thousands(matching), super::thousands(r.users.len()))}</span> }
                </div>
                <p data-testid="user-history">
                    if history.is_empty() {
                        {"No interactions of this user could be matched to the items."}
                    } else {
                        {format!("{} {}", if rated { "Their highest-rated titles:" } else { "Their furthest-along items:" }, history.join(", "))}
                    }
                </p>
                <p data-testid="user-cluster" data-cluster={cluster.to_string()}>
                    {format!("Cluster {} ({}). Its favourite categories: {}", cluster + 1, super::counted(members, "user"), profile.join(", "))}
                </p>
                <h3>{if rated { "What viewers in this cluster loved, and this user has not rated" } else { "What peers in this cluster completed or loved" }}</h3>
                if r.recommendations[u].is_empty() {
                    <p class="muted">{if rated { "Nothing new: this user has rated everything their cluster loved." } else { "Nothing new: this user has seen everything their peers engaged with strongly." }}</p>
                } else {
                    <ol class="recs">
                        { for r.recommendations[u].iter().map(|(title, peers)| html! {
                            <li data-testid="user-recommendation"><span class="title">{title}</span>
                                <span class="reason">{if rated {
                                    format!("rated 4 or more by {peers} viewer{} like them", if *peers == 1 { "" } else { "s" })
                                } else {
                                    format!("{peers} peer{} engaged strongly", if *peers == 1 { "" } else { "s" })
                                }}</span></li>
                        }) }
                    </ol>
                }
                { for r.notes.iter().map(|n| html! { <p class="muted">{n}</p> }) }
                if let Some(config) = chart {
                    <h3>{"Evaluate: which recommender finds the held-out favourites"}</h3>
                    <p class="muted">{format!("Newest 10% of each user's interactions held out; relevant = rating ≥ 4 or progress ≥ 90%; {} users scored.", r.scores[0].users)}</p>
                    <Chart config={Rc::new(config)} label="Bar chart of NDCG at 5, 10 and 25 for each recommender" />
                    <div class="table-wrap">
                        <table data-testid="evaluation">
                            <thead><tr><th>{"Recommender"}</th><th>{"NDCG@10"}</th><th>{"P@10"}</th><th>{"R@10"}</th><th>{"MRR@10"}</th><th>{"Coverage"}</th></tr></thead>
                            <tbody>{ for r.scores.iter().map(|s| {
                                let at = s.metrics(10).unwrap_or_default();
                                html! { <tr><td>{&s.name}</td><td>{format!("{:.4}", at.ndcg)}</td><td>{format!("{:.4}", at.precision)}</td>
                                    <td>{format!("{:.4}", at.recall)}</td><td>{format!("{:.4}", at.mrr)}</td><td>{format!("{:.3}", s.coverage)}</td></tr> }
                            }) }</tbody>
                        </table>
                    </div>
                }
            </>
        }
    });
    html! {
        <section class="card users" id="users" tabindex="-1">
            <h2>{"Users: clusters of viewers or learners"}</h2>
            <p class="muted">{"Choose two files together: interactions (user, item, rating or progress such as studentId,courseId,progress or MovieLens ratings.csv) and the items they refer to (id, title, categories such as courseId,title,categories or movies.csv). Users are clustered by their mean strength per category, as the course recommender did."}</p>
            <label class="file">
                <span>{"Interactions + items"}</span>
                <input type="file" data-testid="interactions-input" multiple=true accept=".csv,.tsv,.txt" disabled={props.busy} {onchange} />
            </label>
            if props.busy { <p><progress aria-label="clustering users"></progress>{" Clustering users and evaluating…"}</p> }
            { body.unwrap_or_default() }
        </section>
    }
}
