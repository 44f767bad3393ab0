//! Errors of the command line and the exit codes they map to.

use std::process::ExitCode;

/// A command that could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input: a file, event, deployment or policy that cannot be used. Exit 2.
    #[error("{0}")]
    Input(String),
    /// The store or another dependency failed. Exit 1.
    #[error("{0}")]
    Internal(String),
    /// A check that ran and failed (policy tests). Exit 1.
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Input(_) => ExitCode::from(2),
            CliError::Internal(_) | CliError::Failed(_) => ExitCode::from(1),
        }
    }
}

impl From<writ_store::StoreError> for CliError {
    fn from(e: writ_store::StoreError) -> CliError {
        CliError::Internal(e.to_string())
    }
}

/// Reads a file as text, naming it on error.
pub fn read_text(path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::Input(format!("cannot read `{}`: {e}", path.display())))
}

/// Parses JSON text, naming its source and the line and column at fault.
pub fn parse_json(source: &str, text: &str) -> Result<serde_json::Value, CliError> {
    serde_json::from_str(text)
        .map_err(|e| CliError::Input(format!("`{source}` is not valid JSON: {e}")))
}
