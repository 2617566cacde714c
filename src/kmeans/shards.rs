//! Rows split into shards, and work run on every shard: on threads
//! natively, one after another on wasm32 (no threads there; fanning the
//! shards out to web workers is not built yet). Shards are whole blocks of [`ALIGN`] rows, so the
//! seeding's blocks, and every sum taken block by block, are the same
//! whatever the number of shards.

/// Rows per seeding block; every shard but the last is a whole number of them.
pub(crate) const ALIGN: usize = 32;

/// Rows per shard when `n` rows are split into at most `shards` shards.
pub(crate) fn rows_per_shard(n: usize, shards: usize) -> usize {
    n.div_ceil(shards.max(1)).next_multiple_of(ALIGN).max(ALIGN)
}

/// Runs `work` on every shard, on threads natively when `parallel`,
/// otherwise one after another; results come back in shard order.
pub(crate) fn each_shard<S: Send, T: Send>(
    shards: &mut [S],
    parallel: bool,
    work: impl Fn(&mut S) -> T + Sync,
) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    if parallel && shards.len() > 1 {
        let work = &work;
        return std::thread::scope(|scope| {
            let (first, rest) = shards.split_at_mut(1);
            let handles: Vec<_> = rest
                .iter_mut()
                .map(|shard| scope.spawn(move || work(shard)))
                .collect();
            let mut out: Vec<T> = first.iter_mut().map(work).collect();
            for handle in handles {
                match handle.join() {
                    Ok(result) => out.push(result),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            out
        });
    }
    let _ = parallel;
    shards.iter_mut().map(work).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_whole_blocks_and_cover_every_row() {
        assert_eq!(rows_per_shard(100, 1), 128);
        assert_eq!(rows_per_shard(100, 2), 64);
        assert_eq!(rows_per_shard(100, 3), 64);
        assert_eq!(rows_per_shard(5, 4), 32);
        for (n, s) in [(1, 1), (33, 2), (1000, 7), (4803, 16)] {
            let per = rows_per_shard(n, s);
            assert!(
                per.is_multiple_of(ALIGN) && n.div_ceil(per) <= s,
                "{n} rows, {s} shards"
            );
        }
    }

    #[test]
    fn results_come_back_in_shard_order() {
        let mut items: Vec<usize> = (0..5).collect();
        for parallel in [false, true] {
            let out = each_shard(&mut items, parallel, |x| *x * 10);
            assert_eq!(out, [0, 10, 20, 30, 40]);
        }
    }
}
