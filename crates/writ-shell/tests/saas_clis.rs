//! Placeholder: the saas_clis round of fixes (filled in by this session).
