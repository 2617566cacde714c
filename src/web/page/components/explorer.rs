//! The cluster explorer: sizes, profiles, the PCA scatter and the elbow curve.

use super::Chart;
use crate::web::state::{Elbow, Loaded};
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// The catalog in use, its elbow curve, the cluster in focus, and what a click on a point selects.
#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// The catalog.
    pub loaded: Rc<Loaded>,
    /// The elbow curve so far.
    pub elbow: Option<Elbow>,
    /// The selected movie's cluster.
    pub focus: Option<usize>,
    /// Select a movie (from a scatter click).
    pub on_select: Callback<usize>,
}

fn colour(cluster: usize, alpha: f32) -> String {
    // Golden-angle hues keep neighbouring cluster numbers apart.
    format!(
        "hsla({:.0}, 70%, 45%, {alpha})",
        (cluster as f32 * 137.508) % 360.0
    )
}

/// The cluster explorer: sizes, the PCA scatter, the elbow curve and a profile per cluster.
#[component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let overview = &props.loaded.overview;
    let k = overview.k;
    let focus = props.focus;

    let sizes_config = use_memo((Rc::as_ptr(&props.loaded), focus), {
        let sizes: Vec<usize> = overview.profiles.iter().map(|p| p.size).collect();
        move |_| {
            json!({
                "type": "bar",
                "data": { "labels": (1..=k).map(|c| c.to_string()).collect::<Vec<_>>(),
                          "datasets": [{ "label": "titles", "data": sizes,
                              "backgroundColor": (0..k).map(|c| colour(c, if focus.is_none_or(|f| f == c) { 0.85 } else { 0.3 })).collect::<Vec<_>>() }] },
                "options": { "animation": false, "maintainAspectRatio": false, "plugins": { "legend": { "display": false } },
                             "scales": { "x": { "title": { "display": true, "text": "cluster" } },
                                         "y": { "title": { "display": true, "text": "titles" } } } }
            })
        }
    });

    // Scatter: one dataset per cluster; `order` maps (dataset, index) back to a movie.
    let scatter = use_memo(Rc::as_ptr(&props.loaded), {
        let loaded = props.loaded.clone();
        move |_| {
            let overview = &loaded.overview;
            let mut per_cluster: Vec<Vec<serde_json::Value>> = vec![Vec::new(); k];
            let mut order: Vec<Vec<usize>> = vec![Vec::new(); k];
            for p in &overview.scatter {
                let Some(points) = per_cluster.get_mut(p.cluster) else {
                    continue;
                };
                let label = format!("{} · cluster {}", p.label, p.cluster + 1);
                points.push(json!({ "x": p.x, "y": p.y, "label": label }));
                order[p.cluster].push(p.index);
            }
            let datasets: Vec<_> = per_cluster
                .into_iter()
                .enumerate()
                .map(|(c, points)| {
                    json!({ "label": format!("cluster {}", c + 1), "data": points,
                    "backgroundColor": colour(c, 0.6), "pointRadius": 2.5, "pointHoverRadius": 6 })
                })
                .collect();
            let explained = overview.explained * 100.0;
            let config = json!({
                "type": "scatter", "data": { "datasets": datasets },
                "options": { "animation": false, "maintainAspectRatio": false,
                    "plugins": { "legend": { "display": k <= 12 } },
                    "scales": { "x": { "title": { "display": true, "text": "PC 1" } },
                                "y": { "title": { "display": true, "text": format!("PC 2 ({explained:.0}% of variance in 2 components)") } } } }
            });
            (Rc::new(config), order)
        }
    });
    let on_point = {
        let on_select = props.on_select.clone();
        let scatter = scatter.clone();
        Callback::from(move |(dataset, index): (usize, usize)| {
            if let Some(&movie) = scatter.1.get(dataset).and_then(|o| o.get(index)) {
                on_select.emit(movie);
            }
        })
    };

    let elbow_config = props.elbow.as_ref().filter(|e| e.next_k().is_none()).map(|elbow| {
        let (points, suggested) = (&elbow.points, elbow.suggested());
        let labels: Vec<String> = points.iter().map(|p| p.k.to_string()).collect();
        let config = json!({
            "type": "line",
            "data": { "labels": labels, "datasets": [
                { "label": "inertia", "data": points.iter().map(|p| p.inertia).collect::<Vec<_>>(), "yAxisID": "y",
                  "borderColor": "#2b6cb0", "pointRadius": points.iter().map(|p| if Some(p.k) == suggested { 6 } else { 2 }).collect::<Vec<_>>() },
                { "label": "silhouette", "data": points.iter().map(|p| p.silhouette).collect::<Vec<_>>(), "yAxisID": "s",
                  "borderColor": "#c05621", "borderDash": [4, 4], "pointRadius": 2 } ] },
            "options": { "animation": false, "maintainAspectRatio": false,
                "scales": { "x": { "title": { "display": true, "text": "k" } },
                            "y": { "position": "left", "title": { "display": true, "text": "inertia" } },
                            "s": { "position": "right", "title": { "display": true, "text": "silhouette" }, "grid": { "drawOnChartArea": false } } } }
        });
        Rc::new(config)
    });
    let elbow_progress = props
        .elbow
        .as_ref()
        .and_then(|e| e.next_k().map(|k| format!(" (k = {k} of {})", e.k_max)))
        .unwrap_or_default();

    let profiles = overview.profiles.iter().enumerate().map(|(c, p)| {
        let class = if focus == Some(c) { "focus" } else { "" };
        let top = p
            .top_genres
            .iter()
            .map(|(g, share)| format!("{g} ({:.0}%)", share * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        let year = p.median_year.map_or("–".into(), |y| format!("{y:.0}"));
        let rating = p.median_rating.map_or("–".into(), |r| format!("{r:.1}"));
        html! {
            <tr {class}>
                <td><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill={colour(c, 0.85)} /></svg>{c + 1}</td>
                <td>{p.size}</td>
                <td>{top}</td>
                <td>{year}</td>
                <td>{rating}</td>
                <td>{p.closest.join(" · ")}</td>
            </tr>
        }
    });

    html! {
        <section class="card explorer" id="explorer" tabindex="-1">
            <h2>{"Cluster explorer"}</h2>
            <div class="charts">
                <figure>
                    <figcaption>{"Titles per cluster"}</figcaption>
                    <Chart config={sizes_config.clone()} label="Bar chart of the number of titles in each cluster" />
                </figure>
                if overview.split {
                    <figure>
                        <figcaption>{"PCA map and elbow curve"}</figcaption>
                        <p class="muted">{"Not drawn: this catalog is split into per-cluster files, and both need every title's features in the tab. Select a title to load its cluster."}</p>
                    </figure>
                } else {
                <figure>
                    <figcaption>{ if overview.step > 1 { format!("PCA map (every {}th title); hover for titles, click to select", overview.step) } else { "PCA map; hover for titles, click to select".into() } }</figcaption>
                    <Chart config={scatter.0.clone()} label="Scatter plot of titles projected on two principal components, coloured by cluster" on_click={on_point} />
                </figure>
                <figure>
                    <figcaption>{"Choosing k: inertia (elbow) and silhouette"}</figcaption>
                    if let Some(config) = elbow_config {
                        <Chart config={config} label="Line chart of inertia and silhouette for each k" />
                        if let Some(k) = props.elbow.as_ref().and_then(Elbow::suggested) {
                            <p class="muted">{format!("The elbow suggests k = {k}.")}</p>
                        }
                    } else {
                        <p class="muted">{format!("Computing the elbow curve in the background{elbow_progress}…")}</p>
                    }
                </figure>
                }
            </div>
            <div class="table-wrap">
                <table class="profiles">
                    <caption>{"Cluster profiles"}</caption>
                    <thead><tr><th>{"Cluster"}</th><th>{"Titles"}</th><th>{"Top genres"}</th><th>{"Median year"}</th><th>{"Median rating"}</th><th>{"Closest to centre"}</th></tr></thead>
                    <tbody>{ for profiles }</tbody>
                </table>
            </div>
        </section>
    }
}
