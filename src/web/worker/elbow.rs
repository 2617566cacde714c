//! The elbow worker: fits the elbow curve of a built catalog on a sample of
//! its rows, a point at a time, then ends. The catalog worker that built
//! the catalog starts it ([`fit_elsewhere`]) and passes its points on, so
//! the catalog answers searches meanwhile.

use super::{input, post, Input};
use crate::kmeans::{elbow, ElbowPoint, KMeansParams};
use crate::session::SILHOUETTE_ROWS;
use crate::web::bridge::{Bridge, WORKER_SCRIPT};
use crate::web::error::WebError;
use crate::web::messages::{ElbowRequest, ElbowResponse, ElbowRole};
use js_sys::{Array, Uint8Array};
use ndarray::Array2;

/// Answers one request: every point of the curve, or why there is none.
pub(super) fn handle(request: ElbowRequest, parts: &Array) {
    // Rows of floats a catalog worker made: bytes, never a file.
    let Some(Input::Bytes(bytes)) = input(parts, 1) else {
        return post::<ElbowRole>(&ElbowResponse::Failed("no rows were sent".into()));
    };
    if let Err(e) = fit(&request, &bytes) {
        post::<ElbowRole>(&ElbowResponse::Failed(e.to_string()));
    }
}

fn fit(request: &ElbowRequest, bytes: &[u8]) -> Result<(), WebError> {
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let matrix = Array2::from_shape_vec((request.rows, request.cols), values)
        .map_err(|e| WebError::Message(format!("the rows sent: {e}")))?;
    let base = KMeansParams::new(1).seed(request.seed);
    elbow(
        matrix.view(),
        request.k_min,
        request.k_max,
        &base,
        SILHOUETTE_ROWS,
        &mut |point| post::<ElbowRole>(&ElbowResponse::Point(*point)),
    )
    .map(drop)
    .map_err(WebError::from)
}

/// Starts an elbow worker on `rows` (row after row, `cols` each) and hands
/// each point to `on_point`, and a failure to `on_failure`; the worker is
/// ended after the last point, or when the returned bridge is dropped.
pub(super) fn fit_elsewhere(
    request: ElbowRequest,
    rows: &[f32],
    on_point: impl Fn(ElbowPoint) + 'static,
    on_failure: impl Fn(String) + 'static,
) -> Result<Bridge<ElbowRole>, WebError> {
    let on_failure = std::rc::Rc::new(on_failure);
    let crashed = on_failure.clone();
    let bridge = Bridge::<ElbowRole>::spawn(
        WORKER_SCRIPT,
        move |response, _| match response {
            ElbowResponse::Point(point) => on_point(point),
            ElbowResponse::Failed(message) => on_failure(message),
        },
        move |message| crashed(message),
    )?;
    let bytes: Vec<u8> = rows.iter().flat_map(|x| x.to_le_bytes()).collect();
    let array = Uint8Array::from(bytes.as_slice());
    bridge.send(&request, &[&array.into()])?;
    Ok(bridge)
}
