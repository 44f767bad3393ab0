//! Deployment facts from the environment, for a writ nobody configured yet.
//!
//! The built-in facts ([`Deployment::builtin`]) plus what the current
//! directory says: it is the workspace, `$HOME` is home, its git remotes are
//! the organisation's repositories and the checked-out branch is known.

use std::path::Path;

use writ_core::{Deployment, Engine, Facts, PolicyPack};
use writ_store::environment::environment_deployment;

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
    let base = environment_deployment(&cwd).over(Deployment::builtin());
    let merged = match deployment {
        Some(path) => {
            let text = read_text(path)?;
            let file = Deployment::from_json(&text)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
            file.over(base)
        }
        None => base,
    };
    let facts = Facts::compile(&merged).map_err(|e| CliError::Input(e.to_string()))?;
    Ok(Engine::new(facts, load_policy(policy_dir)?))
}

/// The shipped pack, or every `.cedar` file of `dir` in name order.
pub fn load_policy(dir: Option<&Path>) -> Result<PolicyPack, CliError> {
    let pack = match dir {
        None => PolicyPack::default_pack(),
        Some(dir) => PolicyPack::load(read_policy_dir(dir)?),
    };
    pack.map_err(|e| CliError::Input(e.to_string()))
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
