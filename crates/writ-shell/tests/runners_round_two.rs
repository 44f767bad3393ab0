//! Placeholder: the runners_round_two round of fixes (filled in by this session).
