//! batch (in progress).
