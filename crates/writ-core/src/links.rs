//! Symbolic links the session made: a local path that stands for another.
//!
//! `ln -s ../.claude/settings.json docs/agent-settings.json` makes the
//! second path lead to the first. From then on a file effect on the link,
//! or on a path below it when it leads to a directory, is also an effect
//! on what it leads to: writing `docs/agent-settings.json` writes the
//! governance file, reading or sending it reads the settings. The effect
//! on the link's own path stays beside it, since that path is what other
//! programs open. Removing the link itself (`rm LINK`) removes only the
//! link, and the session forgets it.
//!
//! Links are `(link, target)` pairs of absolute paths, oldest first; a
//! pair with an empty target records that the link was removed. The
//! latest pair whose link is the path or one of its directories decides.

use writ_shell::{FileRef, WrittenFile};

use crate::effects::{Effect, Payload, Send};

/// How many links a session remembers (the latest).
pub const SESSION_LINKS: usize = 256;

/// How many links in a row one path is followed through (`a -> b -> c`).
const MAX_HOPS: usize = 8;

/// The path `path` stands for through `links`, following links that lead
/// to links; `None` when it is not a link or below one.
pub fn through(links: &[(String, String)], path: &str) -> Option<String> {
    let mut current = path.to_owned();
    let mut followed = false;
    for _ in 0..MAX_HOPS {
        match one_hop(links, &current) {
            Some(next) if next != current => {
                current = next;
                followed = true;
            }
            _ => break,
        }
    }
    followed.then_some(current)
}

/// The path `path` stands for through the latest link that is `path` or
/// one of its directories; `None` when there is none, or when that link
/// was removed.
fn one_hop(links: &[(String, String)], path: &str) -> Option<String> {
    let (rest, target) = links
        .iter()
        .rev()
        .find_map(|(link, target)| below(path, link).map(|rest| (rest, target)))?;
    if target.is_empty() {
        return None;
    }
    Some(format!("{}{rest}", target.trim_end_matches('/')))
}

/// What `path` adds below `dir` (`""` for `dir` itself, `/x` for a path
/// inside it); `None` when it is not there.
fn below<'p>(path: &'p str, dir: &str) -> Option<&'p str> {
    let dir = dir.trim_end_matches('/');
    let rest = path.strip_prefix(dir)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// True when `path` is one of `links` itself (not a path below it) and
/// the latest record of it is a link.
fn is_link(links: &[(String, String)], path: &str) -> bool {
    links
        .iter()
        .rev()
        .find(|(link, _)| link.trim_end_matches('/') == path)
        .is_some_and(|(_, target)| !target.is_empty())
}

/// What following `links` adds to one effect.
#[derive(Debug, Default)]
pub struct Followed {
    /// The same effect on the targets, to go beside it.
    pub twin: Option<Effect>,
    /// A link the effect removes (a delete of the link itself).
    pub unlinked: Option<String>,
}

/// Follows `links` for `effect`: a read, write or delete of a path below a
/// link, or a read or write of the link itself, has a twin on its target;
/// the files a request sends or fetches with gain the files they reach
/// (in place). Deleting the link itself removes only the link.
pub fn follow(effect: &mut Effect, links: &[(String, String)]) -> Followed {
    let mut followed = Followed::default();
    if links.is_empty() {
        return followed;
    }
    followed.twin = match effect {
        Effect::FileRead { path, recursive } => through(links, path).map(|path| Effect::FileRead {
            path,
            recursive: *recursive,
        }),
        Effect::FileWrite { path } => through(links, path).map(|path| Effect::FileWrite { path }),
        Effect::FileDelete { path, .. } if is_link(links, path) => {
            followed.unlinked = Some(path.clone());
            None
        }
        Effect::FileDelete { path, recursive } => {
            through(links, path).map(|path| Effect::FileDelete {
                path,
                recursive: *recursive,
            })
        }
        Effect::FileDeleteNamed { root, names } => {
            through(links, root).map(|root| Effect::FileDeleteNamed {
                root,
                names: names.clone(),
            })
        }
        Effect::Fetch { payload, .. } | Effect::Send(Send { payload, .. }) => {
            files_through(payload, links);
            None
        }
        _ => None,
    };
    followed
}

/// Adds to `payload` the files it names reach through `links`.
fn files_through(payload: &mut Payload, links: &[(String, String)]) {
    let reached: Vec<FileRef> = payload
        .files
        .iter()
        .filter_map(|file| {
            let path = through(links, &file.path)?;
            Some(FileRef {
                path,
                ..file.clone()
            })
        })
        .collect();
    for file in reached {
        if !payload.files.contains(&file) {
            payload.files.push(file);
        }
    }
}

/// Follows `links` for every effect from `start` on, each twin right after
/// its effect. Returns the links the effects remove.
pub fn follow_all(
    effects: &mut Vec<Effect>,
    start: usize,
    links: &[(String, String)],
) -> Vec<String> {
    let mut unlinked = Vec::new();
    let mut index = start;
    while let Some(effect) = effects.get_mut(index) {
        let followed = follow(effect, links);
        unlinked.extend(followed.unlinked);
        index += 1;
        if let Some(twin) = followed.twin.filter(|twin| !effects.contains(twin)) {
            effects.insert(index, twin);
            index += 1;
        }
    }
    unlinked
}

/// Files written through `links` hold what was written to the link: the
/// entries of `written` below a link, at their targets, except those of
/// `skip` (links the step made or removed: their entries are the links').
pub fn written_through(
    written: &[WrittenFile],
    links: &[(String, String)],
    skip: &[String],
) -> Vec<WrittenFile> {
    written
        .iter()
        .filter(|file| !skip.contains(&file.path))
        .filter_map(|file| {
            let path = through(links, &file.path)?;
            Some(WrittenFile {
                path,
                ..file.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(link, target)| ((*link).to_owned(), (*target).to_owned()))
            .collect()
    }

    #[test]
    fn a_path_is_followed_through_the_latest_link_that_holds_it() {
        let links = links(&[
            ("/w/cfg", "/w/.claude"),
            ("/w/k", "/home/u/.ssh"),
            ("/tmp/a", "/tmp/b"),
            ("/tmp/b", "/etc/passwd"),
        ]);
        assert_eq!(
            through(&links, "/w/cfg/settings.json").as_deref(),
            Some("/w/.claude/settings.json")
        );
        assert_eq!(through(&links, "/w/k").as_deref(), Some("/home/u/.ssh"));
        assert_eq!(through(&links, "/tmp/a").as_deref(), Some("/etc/passwd"));
        // A name that only starts like a link is another file.
        assert_eq!(through(&links, "/w/cfgs/x"), None);
        assert_eq!(through(&links, "/w/other"), None);
    }

    #[test]
    fn a_removed_link_and_a_loop_lead_nowhere() {
        let removed = links(&[("/w/x", "/w/.claude/settings.json"), ("/w/x", "")]);
        assert_eq!(through(&removed, "/w/x"), None);
        let looped = links(&[("/w/a", "/w/b"), ("/w/b", "/w/a")]);
        assert!(through(&looped, "/w/a").is_some());
    }

    #[test]
    fn deleting_the_link_itself_removes_only_the_link() {
        let links = links(&[("/w/d", "/w/.claude")]);
        let mut effects = vec![
            Effect::FileDelete {
                path: "/w/d".to_owned(),
                recursive: true,
            },
            Effect::FileDelete {
                path: "/w/d/settings.json".to_owned(),
                recursive: false,
            },
        ];
        let unlinked = follow_all(&mut effects, 0, &links);
        assert_eq!(unlinked, ["/w/d"]);
        assert_eq!(effects.len(), 3);
        assert_eq!(
            effects.last(),
            Some(&Effect::FileDelete {
                path: "/w/.claude/settings.json".to_owned(),
                recursive: false,
            })
        );
    }
}
