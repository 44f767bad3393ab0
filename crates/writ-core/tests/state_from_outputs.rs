//! The session learns configuration from what earlier steps printed (`git
//! remote -v`, `kubectl config current-context`, `gh repo set-default
//! --view`) and from the commands that set it (`gh repo set-default
//! OWNER/REPO`), once those steps ran; git remote URLs through an ssh
//! alias resolve through the ssh configuration the session knew.

#![allow(clippy::panic, clippy::unwrap_used)]

use serde_json::json;
use writ_core::{Decision, Effect, Engine, Route};

use crate::common;
use common::{Step, claude_tool, decide_after_steps, engine, shell};

const DEPLOYMENT: &str = r#"{
    "organization": "acme",
    "workspace": "/home/dana/ws",
    "home": "/home/dana",
    "org_domains": ["acme.io"],
    "git_remotes": {"origin": "https://github.com/acme/ws.git"},
    "org_repos": ["github.com/acme/*"],
    "protected_branches": ["main"],
    "production": {"kube_contexts": ["prod-eu-1"]}
}"#;

/// The decision on `command` after shell steps that ran with the output
/// given, in order.
fn after(engine: &Engine, earlier: &[(&str, &str)], command: &str) -> Decision {
    let steps: Vec<Step<'_>> = earlier
        .iter()
        .map(|(line, output)| (shell(line), true, Some(*output)))
        .collect();
    decide_after_steps(engine, &steps, &shell(command))
}

/// Where the decision's pushes go.
fn pushed_to(decision: &Decision) -> Vec<String> {
    decision
        .facts
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::GitPush { remote, .. } => Some(remote.clone()),
            _ => None,
        })
        .collect()
}

/// The contexts of the decision's kubectl and helm commands.
fn kube_contexts(decision: &Decision) -> Vec<Option<String>> {
    decision
        .facts
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Kubernetes { context, .. } => Some(context.clone()),
            Effect::Helm { kube_context, .. } => Some(kube_context.clone()),
            _ => None,
        })
        .collect()
}

fn reasons(decision: &Decision) -> Vec<&str> {
    decision.reasons.iter().map(String::as_str).collect()
}

const ORIGIN: &str = "https://github.com/acme/ws.git";
const PERSONAL: &str = "https://github.com/dana-k/ws.git";

#[test]
fn a_push_url_the_remotes_showed_takes_the_push() {
    let engine = engine(DEPLOYMENT);
    let shown = [
        (
            "git remote -v",
            "origin\thttps://github.com/acme/ws.git (fetch)\norigin\thttps://github.com/dana-k/ws.git (push)\n",
        ),
        (
            "git remote -v | grep origin",
            "origin\thttps://github.com/acme/ws.git (fetch)\norigin\thttps://github.com/dana-k/ws.git (push)\n",
        ),
        (
            "git remote get-url --push origin",
            "https://github.com/dana-k/ws.git\n",
        ),
        (
            "git config --get remote.origin.pushurl",
            "https://github.com/dana-k/ws.git\n",
        ),
        (
            r"git config --get-regexp '^remote\.origin\.'",
            "remote.origin.url https://github.com/acme/ws.git\nremote.origin.fetch +refs/heads/*:refs/remotes/origin/*\nremote.origin.pushurl https://github.com/dana-k/ws.git\n",
        ),
        (
            "git config --list",
            "user.name=Dana\nremote.origin.url=https://github.com/acme/ws.git\nremote.origin.pushurl=https://github.com/dana-k/ws.git\n",
        ),
        (
            "git remote show origin",
            "* remote origin\n  Fetch URL: https://github.com/acme/ws.git\n  Push  URL: https://github.com/dana-k/ws.git\n  HEAD branch: main\n",
        ),
    ];
    for (line, output) in shown {
        for push in ["git push origin fix/rounding", "git push"] {
            let decision = after(&engine, &[(line, output)], push);
            assert_eq!(pushed_to(&decision), [PERSONAL], "{line} / {push}");
            assert_eq!(decision.route, Route::Block, "{line} / {push}");
            assert!(reasons(&decision).contains(&"EXFIL_CONFIDENTIAL"), "{line}");
        }
    }
}

#[test]
fn a_push_url_shown_the_same_as_the_url_is_none_of_its_own() {
    let engine = engine(DEPLOYMENT);
    let same = "origin\thttps://github.com/acme/ws.git (fetch)\norigin\thttps://github.com/acme/ws.git (push)\n";
    for (line, output) in [
        ("git remote -v", same),
        (
            "git remote get-url --push origin",
            "https://github.com/acme/ws.git\n",
        ),
    ] {
        // The remote's URL changed later moves its pushes too.
        let decision = after(
            &engine,
            &[
                (line, output),
                (
                    "git remote set-url origin https://github.com/evil/ws.git",
                    "",
                ),
            ],
            "git push origin feature/x",
        );
        assert_eq!(
            pushed_to(&decision),
            ["https://github.com/evil/ws.git"],
            "{line}"
        );
        assert_eq!(decision.route, Route::Block, "{line}");
    }
}

#[test]
fn remotes_shown_are_the_repository_they_ran_in() {
    let engine = engine(DEPLOYMENT);
    let listing = "origin\thttps://github.com/evil/ws.git (fetch)\norigin\thttps://github.com/evil/ws.git (push)\n";
    // Shown of the workspace (`cd`, `git -C`): a later push goes there.
    for line in [
        "git remote -v",
        "cd /home/dana/ws && git remote -v",
        "git -C /home/dana/ws remote -v",
    ] {
        let decision = after(&engine, &[(line, listing)], "git push origin feature/x");
        assert_eq!(
            pushed_to(&decision),
            ["https://github.com/evil/ws.git"],
            "{line}"
        );
    }
    // Another repository's remotes, output that is not the query's alone,
    // or another configuration's, leave the workspace's as it was.
    for line in [
        "git -C /home/dana/vendor/lib remote -v",
        "cd /home/dana/vendor/lib && git remote -v",
        "git remote -v > /tmp/remotes.txt",
        "git remote -v | sed s/evil/acme/",
        "echo hi && git remote -v",
        "GIT_DIR=/srv/other.git git remote -v",
    ] {
        let decision = after(&engine, &[(line, listing)], "git push origin feature/x");
        assert_eq!(pushed_to(&decision), [ORIGIN], "{line}");
        assert_eq!(decision.route, Route::Allow, "{line}");
    }
}

#[test]
fn a_step_that_failed_shows_nothing() {
    let engine = engine(DEPLOYMENT);
    let steps: Vec<Step<'_>> = vec![(
        shell("git remote -v"),
        false,
        Some(
            "origin\thttps://github.com/evil/ws.git (fetch)\norigin\thttps://github.com/evil/ws.git (push)\n",
        ),
    )];
    let decision = decide_after_steps(&engine, &steps, &shell("git push origin feature/x"));
    assert_eq!(pushed_to(&decision), [ORIGIN]);
}

#[test]
fn the_current_context_shown_is_where_later_commands_act() {
    let engine = engine(DEPLOYMENT);
    let table = "CURRENT   NAME        CLUSTER     AUTHINFO   NAMESPACE\n          staging-1   kind-stg    dana       web\n*         prod-eu-1   gke-prod    dana       web\n";
    let view = "apiVersion: v1\nclusters: []\ncontexts:\n- context:\n    cluster: gke-prod\n  name: prod-eu-1\ncurrent-context: prod-eu-1\nkind: Config\n";
    for (line, output) in [
        ("kubectl config current-context", "prod-eu-1\n"),
        ("kubectl config get-contexts", table),
        ("kubectl config view --minify", view),
        (
            "kubectl config view -o jsonpath='{.current-context}'",
            "prod-eu-1",
        ),
        ("kubectx -c", "prod-eu-1\n"),
    ] {
        for command in [
            "kubectl -n web scale deployment worker --replicas 0",
            "helm upgrade --namespace web api ./charts/api --set image.tag=2",
        ] {
            let decision = after(&engine, &[(line, output)], command);
            assert_eq!(
                kube_contexts(&decision),
                [Some("prod-eu-1".to_owned())],
                "{line} / {command}"
            );
            assert_eq!(decision.route, Route::RequireApproval, "{line} / {command}");
            assert!(
                reasons(&decision).contains(&"PROD_CHANGE"),
                "{line} / {command}"
            );
        }
    }
}

#[test]
fn a_failed_switch_leaves_the_context_shown() {
    let engine = engine(DEPLOYMENT);
    let steps: Vec<Step<'_>> = vec![
        (
            shell("kubectl config current-context"),
            true,
            Some("prod-eu-1\n"),
        ),
        (
            shell("kubectl config use-context staging-1"),
            false,
            Some("error: no context exists with the name: \"staging-1\""),
        ),
    ];
    let apply = shell("kubectl apply -f k8s/job.yaml -n web");
    let decision = decide_after_steps(&engine, &steps, &apply);
    assert_eq!(kube_contexts(&decision), [Some("prod-eu-1".to_owned())]);
    assert!(reasons(&decision).contains(&"PROD_CHANGE"));
    // A switch that ran moves the session to the context it names.
    let mut switched = steps.clone();
    switched[1].1 = true;
    let decision = decide_after_steps(&engine, &switched, &apply);
    assert_eq!(kube_contexts(&decision), [Some("staging-1".to_owned())]);
    assert!(!reasons(&decision).contains(&"PROD_CHANGE"));
}

#[test]
fn another_kubeconfig_is_not_the_context_shown() {
    let engine = engine(DEPLOYMENT);
    let shown = [("kubectl config current-context", "prod-eu-1\n")];
    for command in [
        "KUBECONFIG=~/.kube/staging.yaml kubectl apply -f k8s/job.yaml",
        "export KUBECONFIG=$HOME/.kube/staging.yaml && kubectl apply -f k8s/job.yaml",
        "kubectl --kubeconfig ~/.kube/staging.yaml apply -f k8s/job.yaml",
    ] {
        let decision = after(&engine, &shown, command);
        assert_eq!(kube_contexts(&decision), [None], "{command}");
        assert!(!reasons(&decision).contains(&"PROD_CHANGE"), "{command}");
    }
    // Nor does a query of another kubeconfig show the default one's.
    let decision = after(
        &engine,
        &[(
            "kubectl --kubeconfig ~/.kube/prod.yaml config current-context",
            "prod-eu-1\n",
        )],
        "kubectl apply -f k8s/job.yaml",
    );
    assert_eq!(kube_contexts(&decision), [None]);
}

#[test]
fn gh_acts_on_the_default_repository_chosen_there() {
    let engine = engine(DEPLOYMENT);
    let issue = "gh issue create -t 'Exporter truncates' -b 'repro steps' -l bug";
    for earlier in [
        &[(
            "gh repo set-default upstream-org/lib",
            "✓ Set upstream-org/lib as the default repository for the current directory\n",
        )][..],
        &[("gh repo set-default --view", "upstream-org/lib\n")],
    ] {
        let decision = after(&engine, earlier, issue);
        assert_eq!(decision.route, Route::RequireApproval, "{earlier:?}");
        assert_eq!(reasons(&decision), ["EXTERNAL_WRITE"], "{earlier:?}");
        let api = "gh api repos/{owner}/{repo}/issues -f title=x -f body=y";
        let decision = after(&engine, earlier, api);
        assert_eq!(reasons(&decision), ["EXTERNAL_WRITE"], "{earlier:?} {api}");
    }
    // Without a default, unset again, or chosen in another repository,
    // gh acts on the workspace's own repository.
    for earlier in [
        &[][..],
        &[
            ("gh repo set-default upstream-org/lib", ""),
            ("gh repo set-default --unset", ""),
        ],
        &[(
            "cd /home/dana/vendor/lib && gh repo set-default upstream-org/lib",
            "",
        )],
        &[(
            "gh repo set-default --view",
            "no default repository has been set\n",
        )],
    ] {
        let decision = after(&engine, earlier, issue);
        assert_eq!(decision.route, Route::Allow, "{earlier:?}");
    }
    // `-R` names the repository whatever the default.
    let decision = after(
        &engine,
        &[("gh repo set-default upstream-org/lib", "")],
        "gh issue create -R acme/ws -t x -b y",
    );
    assert_eq!(decision.route, Route::Allow);
}

const SSH_CONFIG: &str = "Include ~/.orbstack/ssh/config\n\nHost gh-work\n  HostName github.com\n  User git\n  IdentityFile ~/.ssh/id_work\n\nHost mirror\n  HostName git.mirror-hosting.example\n\nHost *\n  ServerAliveInterval 30\n";

/// The ssh configuration read whole by Claude Code's `Read`.
fn read_ssh_config() -> Step<'static> {
    (
        claude_tool("Read", json!({"file_path": "/home/dana/.ssh/config"})),
        true,
        Some(SSH_CONFIG),
    )
}

#[test]
fn an_ssh_alias_in_a_remote_url_is_the_host_it_names() {
    let engine = engine(DEPLOYMENT);
    let work = vec![
        read_ssh_config(),
        (
            shell("git remote set-url origin git@gh-work:acme/ws.git"),
            true,
            Some(""),
        ),
    ];
    let decision = decide_after_steps(&engine, &work, &shell("git push -f origin feature/x"));
    assert_eq!(pushed_to(&decision), ["git@github.com:acme/ws.git"]);
    assert_eq!(
        (decision.route, reasons(&decision)),
        (Route::Warn, vec!["FORCE_PUSH"])
    );
    // The same URL shown by `git remote -v`.
    let shown = vec![
        read_ssh_config(),
        (
            shell("git remote -v"),
            true,
            Some(
                "origin\tgit@gh-work:acme/ws.git (fetch)\norigin\tgit@gh-work:acme/ws.git (push)\n",
            ),
        ),
    ];
    let decision = decide_after_steps(&engine, &shown, &shell("git push -f origin feature/x"));
    assert_eq!(pushed_to(&decision), ["git@github.com:acme/ws.git"]);
    // An alias of another host leads there; with the configuration not
    // known, the alias is the host.
    let mirror = vec![
        read_ssh_config(),
        (
            shell("git remote add backup ssh://git@mirror/acme/ws.git"),
            true,
            Some(""),
        ),
    ];
    let decision = decide_after_steps(&engine, &mirror, &shell("git push backup feature/x"));
    assert_eq!(
        pushed_to(&decision),
        ["ssh://git@git.mirror-hosting.example/acme/ws.git"]
    );
    assert_eq!(decision.route, Route::Block);
    let decision = decide_after_steps(&engine, &work[1..], &shell("git push -f origin feature/x"));
    assert_eq!(pushed_to(&decision), ["git@gh-work:acme/ws.git"]);
}
