//! Placeholder: filled in by the task that owns it.
