//! Deployment facts from the environment, for a writ nobody configured yet.
//!
//! The built-in facts ([`Deployment::builtin`]) plus what the current
//! directory says: it is the workspace, `$HOME` is home, its git remotes are
//! the organisation's repositories and the checked-out branch is known.

use std::path::Path;

use writ_core::{Deployment, Engine, Facts, PolicyPack};
use writ_store::environment::environment_deployment_at;

pub use writ_server::default_data_dir;

use crate::error::{CliError, read_text};

/// Loads the deployment file (if any) over the environment's facts and the
/// built-in defaults, and the policy pack (a directory of `.cedar` files, or
/// the shipped default).
pub fn load_engine(
    deployment: Option<&Path>,
    policy_dir: Option<&Path>,
) -> Result<Engine, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::Internal(format!("cannot read the working directory: {e}")))?;
    let home = std::env::var("HOME").ok();
    EngineSources::read(&cwd, home.as_deref(), deployment, policy_dir)?.build()
}

/// What an engine is made of, read from the files and the environment but
/// not yet compiled: equal sources make equal engines.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineSources {
    /// The deployment file over the environment's facts and the built-ins.
    pub deployment: Deployment,
    /// The policy pack's files (name, text); `None` for the shipped pack.
    pub policy: Option<Vec<(String, String)>>,
}

impl EngineSources {
    /// Reads them as a process in `cwd` with `$HOME` `home` would (the
    /// paths as given: relative ones from this process's directory).
    pub fn read(
        cwd: &Path,
        home: Option<&str>,
        deployment: Option<&Path>,
        policy_dir: Option<&Path>,
    ) -> Result<EngineSources, CliError> {
        let base = environment_deployment_at(cwd, home).over(Deployment::builtin());
        let deployment = match deployment {
            Some(path) => {
                let text = read_text(path)?;
                let file = Deployment::from_json(&text)
                    .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
                file.over(base)
            }
            None => base,
        };
        let policy = policy_dir.map(read_policy_dir).transpose()?;
        Ok(EngineSources { deployment, policy })
    }

    /// Compiles the facts and the policy pack.
    pub fn build(&self) -> Result<Engine, CliError> {
        let facts = Facts::compile(&self.deployment).map_err(|e| CliError::Input(e.to_string()))?;
        Ok(Engine::new(facts, policy_pack(self.policy.clone())?))
    }
}

/// The shipped pack, or every `.cedar` file of `dir` in name order.
pub fn load_policy(dir: Option<&Path>) -> Result<PolicyPack, CliError> {
    policy_pack(dir.map(read_policy_dir).transpose()?)
}

/// The pack of `sources` (file name, text), or the shipped one.
fn policy_pack(sources: Option<Vec<(String, String)>>) -> Result<PolicyPack, CliError> {
    match sources {
        None => PolicyPack::default_pack(),
        Some(sources) => PolicyPack::load(sources),
    }
    .map_err(|e| CliError::Input(e.to_string()))
}

/// Every `.cedar` file of `dir`, name and text, in name order.
pub fn read_policy_dir(dir: &Path) -> Result<Vec<(String, String)>, CliError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::Input(format!("cannot read `{}`: {e}", dir.display())))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cedar"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CliError::Input(format!(
            "`{}` holds no .cedar files",
            dir.display()
        )));
    }
    files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, read_text(p)?))
        })
        .collect()
}
