//! Objects one cmdlet returns and a later one takes: a remote session
//! (`$s = New-PSSession -ComputerName H`, then `Copy-Item -ToSession $s`),
//! a scheduled task's action (`$a = New-ScheduledTaskAction ...`, then
//! `Register-ScheduledTask -Action $a`), a process or service piped on
//! (`Get-Process -Name x | Stop-Process`), a file or directory listed
//! (`Get-ChildItem ./data | Compress-Archive -DestinationPath out.zip`).
//!
//! The walk knows a value only as text and what it carries, so a cmdlet
//! that returns one of these prints it as PowerShell's list view does
//! (`Execute : curl.exe`), under a first line naming its type; that text
//! travels with the variable it is assigned to, or down the pipeline, and
//! the cmdlet that takes the object reads it back.

use crate::Payload;
use crate::args::Arg;

/// An object a cmdlet returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Object {
    /// A PowerShell remoting session to these hosts.
    Session { hosts: Vec<String> },
    /// What a scheduled task runs: a program, its argument string and the
    /// directory it starts in.
    TaskAction {
        execute: String,
        arguments: String,
        directory: Option<String>,
    },
    /// A running process, by name.
    Process { name: String },
    /// A service, by name.
    Service { name: String },
    /// A PnP PowerShell connection to a SharePoint site.
    PnpConnection { site: String },
    /// Files or directories `Get-ChildItem`/`Get-Item` returned, as an
    /// absolute path that may be a glob (`/w/data/customers*.csv`); `tree`
    /// when a directory among them comes with everything under it.
    Item { path: String, tree: bool },
}

const SESSION: &str = "[PSSession]";
const TASK_ACTION: &str = "[ScheduledTaskAction]";
const PROCESS: &str = "[Process]";
const SERVICE: &str = "[Service]";
const PNP_CONNECTION: &str = "[PnPConnection]";
const ITEM: &str = "[FileSystemInfo]";

impl Object {
    /// The object as the text a cmdlet prints.
    fn text(&self) -> String {
        match self {
            Object::Session { hosts } => format!("{SESSION}\nComputerName : {}", hosts.join(",")),
            Object::TaskAction {
                execute,
                arguments,
                directory,
            } => format!(
                "{TASK_ACTION}\nExecute : {execute}\nWorkingDirectory : {}\nArguments : {arguments}",
                directory.as_deref().unwrap_or_default()
            ),
            Object::Process { name } => format!("{PROCESS}\nName : {name}"),
            Object::Service { name } => format!("{SERVICE}\nName : {name}"),
            Object::PnpConnection { site } => format!("{PNP_CONNECTION}\nUrl : {site}"),
            Object::Item { path, tree } => format!("{ITEM}\nFullName : {path}\nRecurse : {tree}"),
        }
    }

    /// The object printed by `text`, read back.
    fn parse(text: &str) -> Option<Object> {
        let (kind, fields) = text.split_once('\n')?;
        let field = |name: &str| {
            fields.lines().find_map(|line| {
                let (key, value) = line.split_once(" : ")?;
                (key == name).then(|| value.to_owned())
            })
        };
        Some(match kind {
            SESSION => Object::Session {
                hosts: field("ComputerName")?
                    .split(',')
                    .filter(|h| !h.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            TASK_ACTION => Object::TaskAction {
                execute: field("Execute")?,
                // The arguments are the last field and may span lines.
                arguments: fields
                    .split_once("\nArguments : ")
                    .map(|(_, rest)| rest.to_owned())
                    .unwrap_or_default(),
                directory: field("WorkingDirectory").filter(|d| !d.is_empty()),
            },
            PROCESS => Object::Process {
                name: field("Name")?,
            },
            SERVICE => Object::Service {
                name: field("Name")?,
            },
            PNP_CONNECTION => Object::PnpConnection {
                site: field("Url")?,
            },
            ITEM => Object::Item {
                path: field("FullName")?,
                tree: field("Recurse").is_some_and(|t| t == "true"),
            },
            _ => return None,
        })
    }
}

/// What a cmdlet that returns `objects` prints.
pub(super) fn printed(objects: &[Object]) -> Payload {
    Payload {
        text: objects.iter().map(Object::text).collect(),
        ..Payload::default()
    }
}

/// The objects a payload (what a value or standard input carries) holds.
pub(super) fn carried(payload: &Payload) -> Vec<Object> {
    payload
        .text
        .iter()
        .filter_map(|text| Object::parse(text))
        .collect()
}

/// The files and directories among `objects`: `(path, tree)`.
pub(super) fn items(objects: Vec<Object>) -> Vec<(String, bool)> {
    objects
        .into_iter()
        .filter_map(|object| match object {
            Object::Item { path, tree } => Some((path, tree)),
            _ => None,
        })
        .collect()
}

/// What `payload` carries besides files and directories listed: a
/// listing piped on is the items' names, not their contents, and no text
/// worth sending.
pub(super) fn without_items(payload: &Payload) -> Payload {
    let mut kept = payload.clone();
    kept.text
        .retain(|text| !matches!(Object::parse(text), Some(Object::Item { .. })));
    kept
}

/// The objects a parameter's value holds: what its variables and
/// subexpressions returned.
pub(super) fn in_value(value: &Arg) -> Vec<Object> {
    carried(&value.prov)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_read_back_as_printed() {
        let objects = [
            Object::Session {
                hosts: vec!["h1".to_owned(), "h2.corp".to_owned()],
            },
            Object::TaskAction {
                execute: "C:\\Program Files\\x.exe".to_owned(),
                arguments: "-a 'b c'\n-d".to_owned(),
                directory: None,
            },
            Object::TaskAction {
                execute: "curl.exe".to_owned(),
                arguments: String::new(),
                directory: Some("C:\\work".to_owned()),
            },
            Object::Process {
                name: "writ".to_owned(),
            },
            Object::Service {
                name: "Spooler".to_owned(),
            },
            Object::PnpConnection {
                site: "https://t.sharepoint.com/sites/x".to_owned(),
            },
            Object::Item {
                path: "/w/data/customers*.csv".to_owned(),
                tree: false,
            },
            Object::Item {
                path: "/w/.writ".to_owned(),
                tree: true,
            },
        ];
        let payload = printed(&objects);
        assert_eq!(carried(&payload), objects);
        let plain = Payload {
            text: vec!["hello\nComputerName : x".to_owned()],
            ..Payload::default()
        };
        assert!(carried(&plain).is_empty());
    }
}
