//! Built without the `encoder` feature, the encoder-tier tests (`encoder_tier.rs`) do not
//! exist: this one says so on every run instead of letting them vanish, and fails where
//! `PROMPTYARD_REQUIRE_ENCODER=1` asks for them (`cargo test --features encoder` runs them).

#[test]
fn encoder_tier_tests_need_the_encoder_feature() {
    let reason =
        "encoder_tier: built without the `encoder` feature (run `cargo test --features encoder`)";
    assert!(
        std::env::var("PROMPTYARD_REQUIRE_ENCODER").as_deref() != Ok("1"),
        "{reason}, and PROMPTYARD_REQUIRE_ENCODER=1 requires them"
    );
    eprintln!("SKIPPED: {reason}");
}
