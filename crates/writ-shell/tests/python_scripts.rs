//! Placeholder: the python_scripts round of fixes (filled in by this session).
