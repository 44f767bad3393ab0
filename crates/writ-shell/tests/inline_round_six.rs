//! Placeholder: the inline_round_six round of fixes (filled in by this session).
