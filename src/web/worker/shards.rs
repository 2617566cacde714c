//! k-means on every core in the browser: the building worker coordinates,
//! keeps the first shard of rows itself, and fans every step out to shard
//! workers (instances of the same worker script, started by it), each
//! holding its own rows. Orders and replies are the core's
//! [`Order`]/[`Reply`] values in messages: no shared memory, no
//! `SharedArrayBuffer`, no cross-origin isolation, the site's CSP as it is.
//! The clusters are the same bits as with one shard (see `kmeans::algorithm`).

use super::post;
use crate::kmeans::{
    Absorbed, FitProgress, KMeansModel, KMeansParams, Order, Reply, Seeded, Shard,
};
use crate::web::bridge::{Bridge, WORKER_SCRIPT};
use crate::web::error::WebError;
use crate::web::messages::{ShardRequest, ShardResponse, ShardRole};
use js_sys::{Array, Float32Array, Function, Promise};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Most shards by default: past this the per-step messages and the
/// workers' start-up outweigh what another core brings on a catalog a tab holds.
const MOST_SHARDS: usize = 8;

/// Fewest rows worth a shard worker by default. Each seeding round and
/// iteration costs a message round trip, and the workers share the cores
/// with the page: measured on 2 cores (`tests/e2e/bench.mjs N`), two shards
/// were 0.84× as fast as one at 100,000 titles and 1.33× to 1.39× at
/// 300,000 (about 1.5× at 1,000,000), so a shard needs far more rows here
/// than a thread does natively.
const MIN_ROWS_PER_SHARD: usize = 131_072;

thread_local! {
    /// The rows and state of this worker, when it is a shard worker.
    static SHARD: RefCell<Option<Shard<'static>>> = const { RefCell::new(None) };
}

/// Answers a coordinator: takes the rows, or follows an order.
pub(super) fn handle(request: ShardRequest, parts: &Array) {
    match request {
        ShardRequest::Rows { dim, first } => match floats(parts, 1) {
            Some(rows) => {
                SHARD.with(|s| *s.borrow_mut() = Some(Shard::new(Cow::Owned(rows), dim, first)))
            }
            None => post::<ShardRole>(&ShardResponse::Failed(
                "a k-means shard was sent no rows".into(),
            )),
        },
        ShardRequest::Order(order) => SHARD.with(|s| match &mut *s.borrow_mut() {
            Some(shard) => post::<ShardRole>(&ShardResponse::Reply(shard.obey(&order))),
            None => post::<ShardRole>(&ShardResponse::Failed(
                "this worker holds no k-means shard".into(),
            )),
        }),
    }
}

/// Shards for a fit of `rows` rows: the page's choice, else one per core,
/// each with at least [`MIN_ROWS_PER_SHARD`] rows, at most [`MOST_SHARDS`].
pub(super) fn shard_count(rows: usize, chosen: Option<u32>) -> usize {
    if let Some(chosen) = chosen {
        return chosen.max(1) as usize;
    }
    let scope: web_sys::WorkerGlobalScope = wasm_bindgen::JsCast::unchecked_into(js_sys::global());
    let cores = scope.navigator().hardware_concurrency() as usize;
    cores
        .clamp(1, MOST_SHARDS)
        .min(rows.div_ceil(MIN_ROWS_PER_SHARD))
        .max(1)
}

/// What a shard worker last answered, and who waits for it.
#[derive(Default)]
struct Mailbox {
    answer: Option<Result<Reply, String>>,
    waiting: Option<Function>,
}

/// One shard worker: its rows are sent once, then one order per step.
struct ShardWorker {
    bridge: Bridge<ShardRole>,
    mailbox: Rc<RefCell<Mailbox>>,
}

impl ShardWorker {
    /// Starts a worker; its rows come later ([`ShardWorker::give`]).
    fn start() -> Result<ShardWorker, WebError> {
        let mailbox = Rc::new(RefCell::new(Mailbox::default()));
        let deliver = {
            let mailbox = mailbox.clone();
            move |answer: Result<Reply, String>| {
                let waiting = {
                    let mut mailbox = mailbox.borrow_mut();
                    mailbox.answer = Some(answer);
                    mailbox.waiting.take()
                };
                if let Some(resolve) = waiting {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        };
        let deliver = Rc::new(deliver);
        let on_crash = deliver.clone();
        let bridge = Bridge::<ShardRole>::spawn(
            WORKER_SCRIPT,
            move |response, _| match response {
                ShardResponse::Reply(reply) => deliver(Ok(reply)),
                ShardResponse::Failed(message) => deliver(Err(message)),
            },
            move |message| on_crash(Err(message)),
        )?;
        Ok(ShardWorker { bridge, mailbox })
    }

    /// Hands the worker its rows (copied once, then transferred).
    fn give(&self, dim: usize, first: usize, rows: &[f32]) -> Result<(), WebError> {
        let floats = Float32Array::from(rows);
        self.bridge
            .send(&ShardRequest::Rows { dim, first }, &[&floats.into()])
    }

    /// The worker's reply to the order it was last sent.
    async fn reply(&self) -> Result<Reply, WebError> {
        let promise = Promise::new(&mut |resolve, _reject| {
            let mut mailbox = self.mailbox.borrow_mut();
            if mailbox.answer.is_some() {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                mailbox.waiting = Some(resolve);
            }
        });
        JsFuture::from(promise)
            .await
            .map_err(|e| WebError::Browser(format!("{e:?}")))?;
        self.mailbox
            .borrow_mut()
            .answer
            .take()
            .unwrap_or_else(|| Err("a shard worker answered nothing".into()))
            .map_err(WebError::Shards)
    }
}

/// Shard workers started ahead of their fit, so they load while the
/// catalog's features are fitted and encoded.
pub(super) struct ShardWorkers(Vec<ShardWorker>);

impl ShardWorkers {
    /// Starts the workers for a fit over `shards` shards (this worker keeps the first).
    pub(super) fn start(shards: usize) -> Result<ShardWorkers, WebError> {
        (1..shards)
            .map(|_| ShardWorker::start())
            .collect::<Result<_, _>>()
            .map(ShardWorkers)
    }

    /// No worker was started (one shard).
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Fits k-means to `data` (rows of `dim` values) over a shard here and one
/// on each of `workers` (which end with the fit); seeding and every
/// iteration fan out to them. Returns the model and the shards it ran on
/// (fewer than workers when there are fewer blocks of rows). Fails, saying
/// why, when a worker stops answering; the caller may then fit here.
pub(super) async fn fit_on_workers(
    workers: ShardWorkers,
    params: &KMeansParams,
    data: &[f32],
    dim: usize,
    progress: &mut dyn FnMut(FitProgress),
) -> Result<(KMeansModel, usize), WebError> {
    let ShardWorkers(mut workers) = workers;
    let mut plan = params.plan(data, dim, workers.len() + 1)?;
    let rows = plan.shard_rows();
    let Some((&(first, own), others)) = rows.split_first() else {
        return Err(WebError::Shards("there is no data to cluster".into()));
    };
    workers.truncate(others.len());
    for (worker, &(first, rows)) in workers.iter().zip(others) {
        worker.give(dim, first, rows)?;
    }
    let mut local = Shard::new(Cow::Borrowed(own), dim, first);
    while let Some((start, mut seeder)) = plan.next_start() {
        progress(FitProgress::Seeding { start, placed: 0 });
        while let Some(order) = seeder.order() {
            let replies = ask(&workers, &mut local, Order::Seed(order)).await?;
            if let Seeded::Placed(placed) = seeder.absorb(replies).map_err(WebError::Shards)? {
                progress(FitProgress::Seeding { start, placed });
            }
        }
        let mut coordinator = plan.coordinator(seeder);
        loop {
            let replies = ask(&workers, &mut local, coordinator.order()).await?;
            match coordinator.absorb(replies).map_err(WebError::Shards)? {
                Absorbed::Iterated(iteration) => {
                    progress(FitProgress::Iteration { start, iteration })
                }
                Absorbed::Relocating => {}
                Absorbed::Done => {
                    plan.keep(coordinator.result());
                    break;
                }
            }
        }
    }
    Ok((plan.model()?, rows.len()))
}

/// Sends `order` to every worker, follows it here meanwhile, and returns
/// the replies in shard order (this worker's shard first).
async fn ask(
    workers: &[ShardWorker],
    local: &mut Shard<'_>,
    order: Order,
) -> Result<Vec<Reply>, WebError> {
    let request = ShardRequest::Order(order.clone());
    for worker in workers {
        worker.bridge.send(&request, &[])?;
    }
    let mut replies = Vec::with_capacity(workers.len() + 1);
    replies.push(local.obey(&order));
    for worker in workers {
        replies.push(worker.reply().await?);
    }
    Ok(replies)
}

/// A message's slot holding a `Float32Array`, as floats.
fn floats(parts: &Array, slot: u32) -> Option<Vec<f32>> {
    let value = parts.get(slot);
    wasm_bindgen::JsCast::dyn_ref::<Float32Array>(&value).map(Float32Array::to_vec)
}
