//! The single-prompt hot path allocates nothing once the caller's scratch has grown.

use std::sync::atomic::Ordering;

use promptyard::classifier::{Classifier, Scratch};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::ALLOCS;

#[test]
fn predict_with_warm_scratch_does_not_allocate() {
    let clf = Classifier::bundled().unwrap();
    let mut scratch = Scratch::default();
    let long = "Summarise this log and tell me why the job failed: ERROR at step 3 ".repeat(200);
    let texts = [
        "Plan my week",
        "def f(x):\n    return x",
        "日本語で計画を立てて",
        long.as_str(),
    ];
    for t in texts {
        clf.predict_with(t, &mut scratch); // warm-up grows the buffers
    }
    let before = ALLOCS.load(Ordering::Relaxed);
    for t in texts {
        std::hint::black_box(clf.predict_with(t, &mut scratch));
    }
    assert_eq!(ALLOCS.load(Ordering::Relaxed) - before, 0);
}
