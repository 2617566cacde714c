//! The cluster explorer: sizes, profiles, the PCA scatter and the elbow curve.

use super::Chart;
use crate::features::quantile;
use crate::kmeans::ElbowPoint;
use crate::web::state::Loaded;
use serde_json::json;
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// The catalog.
    pub loaded: Rc<Loaded>,
    /// The elbow curve and suggested k, once computed.
    pub elbow: Option<(Vec<ElbowPoint>, Option<usize>)>,
    /// Selected movie.
    pub selected: Option<usize>,
    /// Select a movie (from a scatter click).
    pub on_select: Callback<usize>,
}

/// Most points drawn in the scatter; larger catalogs are sampled evenly.
const SCATTER_POINTS: usize = 6_000;

fn colour(cluster: usize, alpha: f32) -> String {
    // Golden-angle hues keep neighbouring cluster numbers apart.
    format!(
        "hsla({:.0}, 70%, 45%, {alpha})",
        (cluster as f32 * 137.508) % 360.0
    )
}

/// Explorer.
#[component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let data = &props.loaded.data;
    let k = data.model.k();
    let sizes: Vec<usize> = props.loaded.members.iter().map(Vec::len).collect();
    let focus = props.selected.map(|i| data.cluster_of(i));

    let sizes_config = use_memo((Rc::as_ptr(&props.loaded), focus), {
        let sizes = sizes.clone();
        move |_| {
            json!({
                "type": "bar",
                "data": { "labels": (0..k).map(|c| c.to_string()).collect::<Vec<_>>(),
                          "datasets": [{ "label": "titles", "data": sizes,
                              "backgroundColor": (0..k).map(|c| colour(c, if focus.is_none_or(|f| f == c) { 0.85 } else { 0.3 })).collect::<Vec<_>>() }] },
                "options": { "animation": false, "maintainAspectRatio": false, "plugins": { "legend": { "display": false } },
                             "scales": { "x": { "title": { "display": true, "text": "cluster" } },
                                         "y": { "title": { "display": true, "text": "titles" } } } }
            })
            .to_string()
        }
    });

    // Scatter: one dataset per cluster; `order` maps (dataset, index) back to a movie.
    let scatter = use_memo(Rc::as_ptr(&props.loaded), {
        let loaded = props.loaded.clone();
        move |_| {
            let data = &loaded.data;
            let n = data.catalog.len();
            let step = n.div_ceil(SCATTER_POINTS).max(1);
            let mut per_cluster: Vec<Vec<serde_json::Value>> = vec![Vec::new(); k];
            let mut order: Vec<Vec<usize>> = vec![Vec::new(); k];
            for i in (0..n).step_by(step) {
                let c = data.cluster_of(i);
                let m = &data.catalog.movies[i];
                let label = match m.year {
                    Some(y) => format!("{} ({y}) · cluster {c}", m.title),
                    None => format!("{} · cluster {c}", m.title),
                };
                let coordinate =
                    |axis: usize| data.projection.get([i, axis]).copied().unwrap_or(0.0);
                per_cluster[c]
                    .push(json!({ "x": coordinate(0), "y": coordinate(1), "label": label }));
                order[c].push(i);
            }
            let datasets: Vec<_> = per_cluster
                .into_iter()
                .enumerate()
                .map(|(c, points)| {
                    json!({ "label": format!("cluster {c}"), "data": points,
                    "backgroundColor": colour(c, 0.6), "pointRadius": 2.5, "pointHoverRadius": 6 })
                })
                .collect();
            let explained: f64 = data.explained.iter().sum::<f64>() * 100.0;
            let config = json!({
                "type": "scatter", "data": { "datasets": datasets },
                "options": { "animation": false, "maintainAspectRatio": false,
                    "plugins": { "legend": { "display": k <= 12 } },
                    "scales": { "x": { "title": { "display": true, "text": "PC 1" } },
                                "y": { "title": { "display": true, "text": format!("PC 2 ({explained:.0}% of variance in 2 components)") } } } }
            })
            .to_string();
            (config, order, step)
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

    let elbow_config = props.elbow.as_ref().map(|(points, suggested)| {
        let labels: Vec<String> = points.iter().map(|p| p.k.to_string()).collect();
        json!({
            "type": "line",
            "data": { "labels": labels, "datasets": [
                { "label": "inertia", "data": points.iter().map(|p| p.inertia).collect::<Vec<_>>(), "yAxisID": "y",
                  "borderColor": "#2b6cb0", "pointRadius": points.iter().map(|p| if Some(p.k) == *suggested { 6 } else { 2 }).collect::<Vec<_>>() },
                { "label": "silhouette", "data": points.iter().map(|p| p.silhouette).collect::<Vec<_>>(), "yAxisID": "s",
                  "borderColor": "#c05621", "borderDash": [4, 4], "pointRadius": 2 } ] },
            "options": { "animation": false, "maintainAspectRatio": false,
                "scales": { "x": { "title": { "display": true, "text": "k" } },
                            "y": { "position": "left", "title": { "display": true, "text": "inertia" } },
                            "s": { "position": "right", "title": { "display": true, "text": "silhouette" }, "grid": { "drawOnChartArea": false } } } }
        })
        .to_string()
    });

    // Per-cluster summaries: computed once per catalog, not on every render.
    let summaries = use_memo(Rc::as_ptr(&props.loaded), {
        let loaded = props.loaded.clone();
        move |_| {
            let data = &loaded.data;
            let movies = &data.catalog.movies;
            (0..k)
                .map(|c| {
                    let members = &loaded.members[c];
                    let mut genres: HashMap<&str, usize> = HashMap::new();
                    for &i in members {
                        for g in &movies[i as usize].genres {
                            *genres.entry(g).or_insert(0) += 1;
                        }
                    }
                    let mut top: Vec<(&str, usize)> = genres.into_iter().collect();
                    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                    let top = top
                        .iter()
                        .take(3)
                        .map(|(g, n)| {
                            format!(
                                "{g} ({:.0}%)",
                                100.0 * *n as f64 / members.len().max(1) as f64
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    let median = |f: &dyn Fn(usize) -> Option<f64>| {
                        let mut v: Vec<f64> =
                            members.iter().filter_map(|&i| f(i as usize)).collect();
                        v.sort_by(f64::total_cmp);
                        (!v.is_empty()).then(|| quantile(&v, 0.5))
                    };
                    let year = median(&|i| movies[i].year.map(f64::from))
                        .map_or("–".into(), |y| format!("{y:.0}"));
                    let rating =
                        median(&|i| movies[i].rating).map_or("–".into(), |r| format!("{r:.1}"));
                    // Samples: the members nearest the centroid.
                    let mut nearest: Vec<(f32, u32)> = members
                        .iter()
                        .map(|&i| (data.distances[i as usize], i))
                        .collect();
                    let shown = nearest.len().min(3);
                    if shown > 0 {
                        nearest.select_nth_unstable_by(shown - 1, |a, b| {
                            a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
                        });
                    }
                    nearest.truncate(shown);
                    nearest.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    let samples = nearest
                        .iter()
                        .map(|&(_, i)| movies[i as usize].title.as_str())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    (members.len(), top, year, rating, samples)
                })
                .collect::<Vec<_>>()
        }
    });
    let profiles = summaries.iter().enumerate().map(|(c, (size, top, year, rating, samples))| {
        let class = if focus == Some(c) { "focus" } else { "" };
        html! {
            <tr {class}>
                <td><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill={colour(c, 0.85)} /></svg>{c}</td>
                <td>{size}</td>
                <td>{top}</td>
                <td>{year}</td>
                <td>{rating}</td>
                <td>{samples}</td>
            </tr>
        }
    });

    html! {
        <section class="card explorer">
            <h2>{"Cluster explorer"}</h2>
            <div class="charts">
                <figure>
                    <figcaption>{"Titles per cluster"}</figcaption>
                    <Chart config={(*sizes_config).clone()} label="Bar chart of the number of titles in each cluster" />
                </figure>
                <figure>
                    <figcaption>{ if scatter.2 > 1 { format!("PCA map (every {}th title); hover for titles, click to select", scatter.2) } else { "PCA map; hover for titles, click to select".into() } }</figcaption>
                    <Chart config={scatter.0.clone()} label="Scatter plot of titles projected on two principal components, coloured by cluster" on_click={on_point} />
                </figure>
                <figure>
                    <figcaption>{"Choosing k: inertia (elbow) and silhouette"}</figcaption>
                    if let Some(config) = elbow_config {
                        <Chart config={config} label="Line chart of inertia and silhouette for each k" />
                        if let Some(k) = props.elbow.as_ref().and_then(|e| e.1) {
                            <p class="muted">{format!("The elbow suggests k = {k}.")}</p>
                        }
                    } else {
                        <p class="muted">{"Computing the elbow curve in the background…"}</p>
                    }
                </figure>
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
