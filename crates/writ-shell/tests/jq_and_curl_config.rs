//! Placeholder: the jq_and_curl_config round of fixes (filled in by this session).
