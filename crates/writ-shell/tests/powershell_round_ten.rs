//! Placeholder: the powershell_round_ten round of fixes (filled in by this session).
