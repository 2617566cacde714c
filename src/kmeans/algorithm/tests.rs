//! Tests of `algorithm`.

use super::*;
use crate::kmeans::KMeansParams;

/// Drives one run over `shards` shards from `seeds`, each shard sending
/// `spare` rows beyond the empty clusters (`None`: every row); returns
/// the run and how many times a cluster emptied.
fn drive(
    data: &[f32],
    dim: usize,
    seeds: &[f32],
    shards: usize,
    spare: Option<usize>,
) -> (RunResult, usize) {
    let k = seeds.len() / dim;
    let params = KMeansParams::new(k).tolerance(0.0);
    let plan = params.plan(data, dim, shards).unwrap();
    let mut parts: Vec<Shard<'_>> = plan
        .shard_rows()
        .into_iter()
        .map(|(first, rows)| Shard::new(Cow::Borrowed(rows), dim, first))
        .collect();
    let mut coordinator = Coordinator::new(&plan.config, seeds.to_vec());
    coordinator.spare = spare.unwrap_or(data.len() / dim);
    let mut relocations = 0;
    loop {
        let order = coordinator.order();
        let replies = parts.iter_mut().map(|s| s.obey(&order)).collect();
        match coordinator.absorb(replies).unwrap() {
            Absorbed::Relocating => relocations += 1,
            Absorbed::Iterated(_) => {}
            Absorbed::Done => return (coordinator.result(), relocations),
        }
    }
}

#[test]
fn a_few_farthest_rows_per_shard_relocate_as_every_row_would() {
    // Scattered rows; four seeds among them and eight far away, which
    // empty at once and take the farthest rows, from every shard.
    let mut state = 7u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 40) as f32 / (1u64 << 24) as f32
    };
    let data: Vec<f32> = (0..3 * 3000).map(|i| next() * (1 + i % 3) as f32).collect();
    let mut seeds = data[..4 * 3].to_vec();
    seeds.extend((0..8 * 3).map(|i| 100.0 + i as f32));
    let (every_row, relocations) = drive(&data, 3, &seeds, 1, None);
    assert!(relocations > 0, "no cluster emptied: the test needs one");
    for shards in [1, 2, 5] {
        let (run, _) = drive(&data, 3, &seeds, shards, Some(12));
        assert_eq!(run, every_row, "{shards} shards");
    }
}

#[test]
fn a_reply_out_of_turn_is_an_error_not_a_panic() {
    let data = [0.0f32, 1.0, 2.0, 3.0];
    let mut plan = KMeansParams::new(2).plan(&data, 1, 1).unwrap();
    let (_, seeder) = plan.next_start().unwrap();
    let mut coordinator = plan.coordinator(seeder);
    assert!(coordinator
        .absorb(vec![Reply::Farthest(Vec::new())])
        .is_err());
}
