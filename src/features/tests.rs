//! Tests of `features`.

use super::*;

fn catalog(csv: &str) -> Catalog {
    Catalog::parse(csv.as_bytes()).unwrap()
}

#[test]
fn taste_columns_for_factors_learnt_elsewhere_come_first_and_follow_the_weight() {
    let c = catalog("title,year,genres\nA,2000,Drama\nB,2010,Comedy\n");
    let fitted = FeaturePipeline::fit(&c, &FeatureSpec::default()).unwrap();
    let names = fitted.clone().with_taste_factors(3).names();
    assert_eq!(names[..3], ["taste_1", "taste_2", "taste_3"]);
    assert_eq!(names[3..], fitted.names()[..]);
    let mut spec = FeatureSpec::default();
    spec.weights.set(FeatureGroup::Taste, 0.0);
    let p = FeaturePipeline::fit(&c, &spec)
        .unwrap()
        .with_taste_factors(3);
    assert!(!p.names().iter().any(|n| n.starts_with("taste_")));
}

#[test]
fn weighted_rating_pulls_few_votes_towards_the_mean() {
    let prior = RatingPrior {
        min_votes: 100.0,
        mean_rating: 6.0,
    };
    assert_eq!(prior.weighted(9.0, Some(0.0)), 6.0);
    assert!((prior.weighted(9.0, Some(100.0)) - 7.5).abs() < 1e-12);
    assert!(prior.weighted(9.0, Some(1e9)) > 8.99);
}

#[test]
fn minmax_scales_into_unit_range_and_imputes_the_median() {
    let c = catalog("title,year,runtime\nA,1990,100\nB,2000,\nC,2010,120\n");
    let p = FeaturePipeline::fit(&c, &FeatureSpec::default()).unwrap();
    assert_eq!(p.names(), ["year", "runtime"]);
    let m = p.transform(&c);
    assert_eq!(m.column(0).to_vec(), [0.0, 0.5, 1.0]);
    assert_eq!(m[[1, 1]], 0.5, "missing runtime gets the median (110)");
}

#[test]
fn genres_outside_the_top_n_share_an_other_column() {
    let c = catalog("title,genres\nA,Drama|Crime\nB,Drama\nC,Western\n");
    let spec = FeatureSpec {
        top_genres: 1,
        ..FeatureSpec::default()
    };
    let p = FeaturePipeline::fit(&c, &spec).unwrap();
    assert_eq!(p.names(), ["genre:Drama", "genre:other"]);
    let m = p.transform(&c);
    assert_eq!(m.row(0).to_vec(), [1.0, 1.0]);
    assert_eq!(m.row(1).to_vec(), [1.0, 0.0]);
    assert_eq!(m.row(2).to_vec(), [0.0, 1.0]);
}

#[test]
fn constant_and_empty_columns_are_dropped_and_all_constant_is_an_error() {
    let c = catalog("title,year,runtime\nA,2000,\nB,2000,\n");
    assert_eq!(
        FeaturePipeline::fit(&c, &FeatureSpec::default()),
        Err(FeatureError::NoFeatures)
    );
}

#[test]
fn group_weights_scale_their_columns_and_zero_removes_them() {
    let c = catalog("title,year,genres\nA,1990,Drama\nB,2010,Comedy\n");
    let mut spec = FeatureSpec::default();
    spec.weights.set(FeatureGroup::Era, 3.0);
    spec.weights.set(FeatureGroup::Genres, 0.0);
    let p = FeaturePipeline::fit(&c, &spec).unwrap();
    assert_eq!(p.names(), ["year"]);
    assert_eq!(p.transform(&c).column(0).to_vec(), [0.0, 3.0]);
}

#[test]
fn iqr_clipping_bounds_an_outlier() {
    let mut csv = String::from("title,budget\n");
    for i in 0..20 {
        csv += &format!("T{i},{}\n", 10 + i);
    }
    csv += "Huge,100000\n";
    let c = catalog(&csv);
    let spec = FeatureSpec {
        clip_outliers: true,
        ..FeatureSpec::default()
    };
    let p = FeaturePipeline::fit(&c, &spec).unwrap();
    let m = p.transform(&c);
    // Without clipping the 20 ordinary budgets would all squeeze near 0.
    assert!(m[[10, 0]] > 0.2, "{}", m[[10, 0]]);
}

#[test]
fn invalid_weights_are_rejected() {
    let c = catalog("title,year\nA,1990\nB,2000\n");
    let mut spec = FeatureSpec::default();
    spec.weights.set(FeatureGroup::Era, f32::NAN);
    assert!(matches!(
        FeaturePipeline::fit(&c, &spec),
        Err(FeatureError::InvalidSpec(_))
    ));
}
