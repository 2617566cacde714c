//! A catalog worker's answers, as the page's actions (an export is
//! downloaded, named after its catalog).

use super::site::download;
use crate::web::messages::CatalogResponse;
use crate::web::state::{export_file_name, Action, AppState, JobId};
use js_sys::Uint8Array;
use yew::prelude::*;

/// Turns a catalog worker's answer into an action (an export is downloaded).
pub(super) fn deliver(
    catalog_name: impl FnOnce() -> Option<String>,
    dispatch: &UseReducerDispatcher<AppState>,
    response: CatalogResponse,
    file: Option<Uint8Array>,
) {
    let action = match response {
        // A build's worker opened nothing: it was sent its files.
        CatalogResponse::Opened(_) => return,
        CatalogResponse::Exported { name, mime } => {
            // Named after the catalog it came from: "movies-clusters.csv".
            let catalog = catalog_name();
            let what = name.strip_prefix("reelmeans-").unwrap_or(&name);
            let name = catalog.map_or(name.clone(), |c| export_file_name(&c, what));
            if let Some(bytes) = file {
                if let Err(message) = download(&name, &mime, &bytes) {
                    dispatch.dispatch(Action::ShowError(message.to_string()));
                }
            }
            return;
        }
        CatalogResponse::Progress { job, stage } => Action::Progress {
            job: JobId(job),
            stage,
        },
        CatalogResponse::Built {
            job,
            overview,
            notes,
        } => Action::Built {
            job: JobId(job),
            overview,
            notes,
        },
        CatalogResponse::ElbowPoint { job, point } => Action::ElbowPoint {
            job: JobId(job),
            point,
        },
        CatalogResponse::Failed { job, message } => Action::Failed {
            job: job.map(JobId),
            message,
        },
        CatalogResponse::Hits { job, query, hits } => Action::Hits {
            job: JobId(job),
            query,
            hits,
        },
        CatalogResponse::Card {
            job,
            selection,
            card,
        } => Action::Card {
            job: JobId(job),
            selection,
            card,
        },
    };
    dispatch.dispatch(action);
}
