//! Where git's URL settings send a remote.
//!
//! A remote named `NAME` is its `remote.NAME.url`; a push goes to its
//! `remote.NAME.pushurl` instead when it has one. Then git rewrites the URL
//! once: the longest prefix named by a `url.BASE.insteadOf` becomes `BASE`
//! (for a push, a `url.BASE.pushInsteadOf` prefix first, which a push URL
//! does not take). git reads every settings file (the user's, the
//! repository's, the line's `-c`) before it rewrites, so the settings of
//! a session, of the line and of the command join in one pass: the
//! line and the session resolve through the same [`resolve_remote`].

use super::is_remote_name;

/// A setting's key as git compares it: section and name lower-cased, the
/// subsection (a remote's name, a URL) as written. `None` without a
/// section and a name.
pub(crate) fn canonical_key(key: &str) -> Option<String> {
    let (section, subsection, name) = split_key(key)?;
    Some(match subsection {
        Some(sub) => format!(
            "{}.{sub}.{}",
            section.to_ascii_lowercase(),
            name.to_ascii_lowercase()
        ),
        None => format!(
            "{}.{}",
            section.to_ascii_lowercase(),
            name.to_ascii_lowercase()
        ),
    })
}

/// `section[.subsection].name`.
fn split_key(key: &str) -> Option<(&str, Option<&str>, &str)> {
    let (section, rest) = key.split_once('.')?;
    let (subsection, name) = match rest.rsplit_once('.') {
        Some((sub, name)) => (Some(sub), name),
        None => (None, rest),
    };
    (!section.is_empty() && !name.is_empty()).then_some((section, subsection, name))
}

/// Whether a setting (its [`canonical_key`]) moves where git sends a
/// remote's pushes: a URL rewrite or a remote's push URL. (A remote's
/// `url` is kept with the remotes, as `git remote set-url` sets it.)
pub(crate) fn moves_pushes(key: &str) -> bool {
    matches!(
        split_key(key),
        Some(("url", Some(_), "insteadof" | "pushinsteadof") | ("remote", Some(_), "pushurl"))
    )
}

/// The last value of `section.subsection.name` among `settings`.
fn last<'s>(
    settings: &'s [(String, String)],
    section: &str,
    subsection: &str,
    name: &str,
) -> Option<&'s str> {
    settings
        .iter()
        .rev()
        .find(|(key, _)| split_key(key) == Some((section, Some(subsection), name)))
        .map(|(_, value)| value.as_str())
}

/// Where git sends `remote` (a URL, or a remote's name) under `settings`
/// (`(canonical key, value)`, in the order git reads them: the user's,
/// the repository's, then the command's), for a push when `push`. A name's
/// URL is its last `remote.NAME.url` setting, else `url_of_name`'s (the
/// remotes set earlier, a clone's source, the deployment's). `None` when
/// a name's URL is not known.
pub fn resolve_remote(
    remote: &str,
    push: bool,
    settings: &[(String, String)],
    url_of_name: impl FnOnce(&str) -> Option<String>,
) -> Option<String> {
    let (url, is_push_url) = if is_remote_name(remote) {
        match last(settings, "remote", remote, "pushurl").filter(|_| push) {
            Some(push_url) => (push_url.to_owned(), true),
            None => (
                last(settings, "remote", remote, "url")
                    .map(str::to_owned)
                    .or_else(|| url_of_name(remote))?,
                false,
            ),
        }
    } else {
        (remote.to_owned(), false)
    };
    let rewritten = if push && !is_push_url {
        rewrite(&url, settings, "pushinsteadof").or_else(|| rewrite(&url, settings, "insteadof"))
    } else {
        rewrite(&url, settings, "insteadof")
    };
    Some(rewritten.unwrap_or(url))
}

/// `url` with its longest prefix named by a `url.BASE.KEY` setting
/// replaced by `BASE`; among prefixes of one length the first read wins,
/// as in git.
fn rewrite(url: &str, settings: &[(String, String)], key: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (setting, prefix) in settings {
        let Some(("url", Some(base), name)) = split_key(setting) else {
            continue;
        };
        if name != key {
            continue;
        }
        if let Some(rest) = url.strip_prefix(prefix.as_str())
            && best
                .as_ref()
                .is_none_or(|(length, _)| prefix.len() > *length)
        {
            best = Some((prefix.len(), format!("{base}{rest}")));
        }
    }
    best.map(|(_, url)| url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (canonical_key(k).unwrap_or_default(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn keys_compare_as_git_compares_them() {
        assert_eq!(
            canonical_key("url.https://A.example/x.y/.pushInsteadOf").as_deref(),
            Some("url.https://A.example/x.y/.pushinsteadof")
        );
        assert_eq!(
            canonical_key("Remote.Origin.PushURL").as_deref(),
            Some("remote.Origin.pushurl")
        );
        assert_eq!(canonical_key("nodot"), None);
        assert!(moves_pushes("remote.origin.pushurl"));
        assert!(!moves_pushes("remote.origin.url"));
        assert!(!moves_pushes("url.insteadof"));
    }

    #[test]
    fn a_push_url_beats_push_instead_of_and_takes_instead_of() {
        let s = settings(&[
            ("url.https://push.example/.pushInsteadOf", "https://h/"),
            ("url.https://all.example/.insteadOf", "https://h/"),
            ("remote.origin.pushurl", "https://h/p.git"),
        ]);
        let known = |_: &str| Some("https://h/o.git".to_owned());
        assert_eq!(
            resolve_remote("origin", true, &s, known).as_deref(),
            Some("https://all.example/p.git")
        );
        assert_eq!(
            resolve_remote("origin", false, &s, known).as_deref(),
            Some("https://all.example/o.git")
        );
        assert_eq!(
            resolve_remote("https://h/x.git", true, &s, known).as_deref(),
            Some("https://push.example/x.git")
        );
        assert_eq!(resolve_remote("upstream", true, &[], |_| None), None);
    }

    #[test]
    fn the_longest_prefix_wins_and_the_first_among_equals() {
        let s = settings(&[
            ("url.https://a.example/.insteadOf", "https://h/"),
            ("url.https://b.example/.insteadOf", "https://h/org/"),
            ("url.https://c.example/.insteadOf", "https://h/org/"),
        ]);
        assert_eq!(
            resolve_remote("https://h/org/r.git", true, &s, |_| None).as_deref(),
            Some("https://b.example/r.git")
        );
        assert_eq!(
            resolve_remote("https://h/other/r.git", true, &s, |_| None).as_deref(),
            Some("https://a.example/other/r.git")
        );
    }
}
