//! The helper worker: the users view (user clusters, their picks and the
//! evaluation), kept apart so the catalog's searches never wait behind it.

use super::{inputs, post, Input, WHOLE_FILE_LIMIT};
use crate::evaluate::{user_report, EvalSettings};
use crate::web::error::WebError;
use crate::web::messages::{HelperRequest, HelperResponse, HelperRole};
use js_sys::Array;

/// Answers one request.
pub(super) fn handle(request: HelperRequest, parts: &Array) {
    let HelperRequest::Users { job } = request;
    let files = inputs(parts);
    let text = |file: Option<&Input>| match file {
        Some(file) => file.text(WHOLE_FILE_LIMIT),
        None => Err(WebError::Refused("the users view needs two files".into())),
    };
    let report = text(files.first())
        .and_then(|first| Ok((first, text(files.get(1))?)))
        .map_err(|e| e.to_string())
        .and_then(|(first, second)| user_report(&first, &second, &EvalSettings::default()));
    post::<HelperRole>(&match report {
        Ok(report) => HelperResponse::Users {
            job,
            report: Box::new(report),
        },
        Err(message) => HelperResponse::Failed {
            job: Some(job),
            message,
        },
    });
}
