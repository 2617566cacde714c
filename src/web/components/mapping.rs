//! The inferred column roles of an upload, shown as a table the user can correct.

use crate::catalog::ColumnRole;
use crate::web::state::{Action, Mapping, Settings};
use crate::web::workers::Workers;
use web_sys::HtmlSelectElement;
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
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch(Action::CloseMapping))
    };
    let has_title = m.roles.contains(&ColumnRole::Title);
    html! {
        <section class="card mapping" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{format!("Check the columns of {} ({} rows)", m.source.name, super::thousands(m.rows))}</h2>
            <p class="muted">{"Each column's role was guessed from its name and values. Correct any that are wrong, then cluster."}</p>
            <div class="table-wrap">
            <table>
                <thead><tr><th scope="col">{"Column"}</th><th scope="col">{"Role"}</th><th scope="col">{"Example values"}</th></tr></thead>
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
