//! Thread-local buffers for the entry points that take no caller scratch (`predict`,
//! `route`, `Policy::decide`, ...): one mechanism, so each stays allocation-free once warm and
//! none can panic on a re-entrant call or during thread exit.

use std::cell::RefCell;
use std::thread::LocalKey;

/// Runs `f` with this thread's buffers in `key`, or with fresh ones when those are in use (a
/// re-entrant call) or the thread is exiting.
pub(crate) fn with_local<T: Default + 'static, R>(
    key: &'static LocalKey<RefCell<T>>,
    mut f: impl FnMut(&mut T) -> R,
) -> R {
    match key.try_with(|cell| cell.try_borrow_mut().ok().map(|mut s| f(&mut s))) {
        Ok(Some(r)) => r,
        _ => f(&mut T::default()),
    }
}
