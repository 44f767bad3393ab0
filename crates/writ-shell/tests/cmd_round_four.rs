//! Placeholder: the cmd_round_four round of fixes (filled in by this session).
