//! Placeholder: filled in by its developer.
