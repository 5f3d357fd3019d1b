//! train (in progress).
