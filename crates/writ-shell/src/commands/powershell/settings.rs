//! Cmdlets that change who may read a mailbox's mail, or whether an
//! account may be used, through some of their parameters only: a
//! `Set-Mailbox` that forwards the mailbox (`-ForwardingSmtpAddress`)
//! changes access, one that sets a quota does not.
//!
//! Forwarding, redirecting and copying a mailbox's mail, and letting
//! someone send on its behalf, are grants of the mailbox whose grantee is
//! the recipient, so the recipient's party and whether only untrusted text
//! named it are judged as a share's grantee is: Exchange's `Set-Mailbox
//! -ForwardingSmtpAddress|-ForwardingAddress|-GrantSendOnBehalfTo`,
//! `New-InboxRule|Set-InboxRule -ForwardTo|-RedirectTo|
//! -ForwardAsAttachmentTo`, `New-TransportRule|Set-TransportRule
//! -RedirectMessageTo|-BlindCopyTo|-CopyTo|-AddToRecipients`, and Graph's
//! `New-MgUserMailFolderMessageRule` whose actions forward (`forwardTo`,
//! `redirectTo`, `forwardAsAttachmentTo`). Clearing one (`$null`) changes
//! access too, with no grantee.
//!
//! Enabling or disabling an account (`Update-MgUser -AccountEnabled`,
//! `Set-ADUser -Enabled`, `Set-AzureADUser -AccountEnabled`, `Set-MsolUser
//! -BlockCredential`, `Set-Mailbox -AccountDisabled`) changes its owner's
//! access to everything the organisation gave it; the account is the
//! organisation's, so it is named in the resource with no grantee.

use super::{Cmdlet, bind, hashtable_ranges, hashtable_values, list, param_word, resolve_param};
use crate::commands::{Invocation, Outcome};
use crate::{Effect, Resource};

/// A cmdlet that changes access only through some of its parameters.
struct SettingCmdlet {
    spec: Cmdlet,
    /// What the resource is, the start of its name (`exchange mailbox`).
    what: &'static str,
    /// Parameters that name the resource, the first given wins.
    resource: &'static [&'static str],
    /// Parameters that name who gains the mail or the right to send.
    grantee: &'static [&'static str],
    /// Keys of a Graph body (`-BodyParameter`, `-Actions`) holding
    /// recipients, each with its `address`.
    recipients: &'static [&'static str],
    /// Parameters (or Graph body keys) that turn the account itself on or
    /// off: written at all, they change its access.
    toggles: &'static [&'static str],
}

const SET_MAILBOX: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &[
            "identity",
            "forwardingsmtpaddress",
            "forwardingaddress",
            "grantsendonbehalfto",
        ],
        positional: 1,
        switches: &["accountdisabled", "delivertomailboxandforward"],
        aliases: &[],
    },
    what: "exchange mailbox",
    resource: &["identity"],
    grantee: &[
        "forwardingsmtpaddress",
        "forwardingaddress",
        "grantsendonbehalfto",
    ],
    recipients: &[],
    toggles: &["accountdisabled"],
};

/// `Set-DistributionGroup|Set-UnifiedGroup -GrantSendOnBehalfTo|-ManagedBy`.
const SET_GROUP: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &["identity", "grantsendonbehalfto", "managedby"],
        positional: 1,
        switches: &[],
        aliases: &[],
    },
    what: "exchange group",
    resource: &["identity"],
    grantee: &["grantsendonbehalfto", "managedby"],
    recipients: &[],
    toggles: &[],
};

/// `New-InboxRule [-Name] N -Mailbox M` and `Set-InboxRule [-Identity] R`:
/// the mailbox is the resource when named.
const INBOX_RULE: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &[
            "name",
            "mailbox",
            "identity",
            "forwardto",
            "redirectto",
            "forwardasattachmentto",
        ],
        positional: 0,
        switches: &[],
        aliases: &[],
    },
    what: "exchange inbox rule",
    resource: &["mailbox", "identity", "name"],
    grantee: &["forwardto", "redirectto", "forwardasattachmentto"],
    recipients: &[],
    toggles: &[],
};

/// Mail-flow rules apply to the whole organisation's mail.
const TRANSPORT_RULE: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &[
            "name",
            "identity",
            "redirectmessageto",
            "blindcopyto",
            "copyto",
            "addtorecipients",
        ],
        positional: 1,
        switches: &[],
        aliases: &[],
    },
    what: "exchange transport rule",
    resource: &["name", "identity"],
    grantee: &[
        "redirectmessageto",
        "blindcopyto",
        "copyto",
        "addtorecipients",
    ],
    recipients: &[],
    toggles: &[],
};

const GRAPH_MESSAGE_RULE: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &[
            "userid",
            "mailfolderid",
            "messageruleid",
            "bodyparameter",
            "actions",
            "conditions",
            "exceptions",
            "displayname",
            "sequence",
        ],
        positional: 0,
        switches: &["isenabled"],
        aliases: &[],
    },
    what: "microsoft 365 mailbox",
    resource: &["userid"],
    grantee: &[],
    recipients: &["forwardto", "redirectto", "forwardasattachmentto"],
    toggles: &[],
};

const UPDATE_MGUSER: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &["userid", "bodyparameter", "inputobject"],
        positional: 0,
        switches: &["accountenabled"],
        aliases: &[],
    },
    what: "entra user",
    resource: &["userid"],
    grantee: &[],
    recipients: &[],
    toggles: &["accountenabled"],
};

const SET_AZUREAD_USER: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &["objectid"],
        positional: 0,
        switches: &["accountenabled"],
        aliases: &[],
    },
    what: "entra user",
    resource: &["objectid"],
    grantee: &[],
    recipients: &[],
    toggles: &["accountenabled"],
};

const SET_MSOL_USER: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &["userprincipalname", "objectid"],
        positional: 0,
        switches: &["blockcredential"],
        aliases: &[],
    },
    what: "entra user",
    resource: &["userprincipalname", "objectid"],
    grantee: &[],
    recipients: &[],
    toggles: &["blockcredential"],
};

const SET_ADUSER: SettingCmdlet = SettingCmdlet {
    spec: Cmdlet {
        values: &["identity", "server", "credential", "authtype", "partition"],
        positional: 1,
        switches: &["enabled"],
        aliases: &[],
    },
    what: "active directory account",
    resource: &["identity"],
    grantee: &[],
    recipients: &[],
    toggles: &["enabled"],
};

fn setting_cmdlet(program: &str) -> Option<&'static SettingCmdlet> {
    Some(match program {
        "set-mailbox" | "set-remotemailbox" => &SET_MAILBOX,
        "set-distributiongroup" | "set-unifiedgroup" => &SET_GROUP,
        "new-inboxrule" | "set-inboxrule" => &INBOX_RULE,
        "new-transportrule" | "set-transportrule" => &TRANSPORT_RULE,
        "new-mgusermailfoldermessagerule" | "update-mgusermailfoldermessagerule" => {
            &GRAPH_MESSAGE_RULE
        }
        "update-mguser" => &UPDATE_MGUSER,
        "set-azureaduser" => &SET_AZUREAD_USER,
        "set-msoluser" => &SET_MSOL_USER,
        "set-aduser" => &SET_ADUSER,
        _ => return None,
    })
}

/// The access changes of a setting cmdlet; `None` when it is not one, or
/// when it sets nothing that changes access (left to the rest of the
/// PowerShell handler).
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let cmdlet = setting_cmdlet(inv.program)?;
    let bound = bind(&cmdlet.spec, inv.args);
    let bodies: Vec<&str> = ["bodyparameter", "actions"]
        .iter()
        .flat_map(|name| bound.all(name))
        .map(|body| body.text.as_str())
        .collect();
    // Each recipient parameter written, with the addresses it names (none
    // when it clears the setting).
    let mut written = false;
    let mut grantees: Vec<String> = Vec::new();
    for name in cmdlet.grantee {
        for value in bound.all(name) {
            written = true;
            grantees.extend(recipients_of(&value.text));
        }
    }
    for body in &bodies {
        for key in cmdlet.recipients {
            for value in hashtable_values(body, key) {
                written = true;
                grantees.extend(
                    hashtable_values(&value, "address")
                        .into_iter()
                        .filter(|a| address(a).is_some()),
                );
            }
        }
    }
    // A toggle written as a parameter (`-AccountEnabled:$false`, whose
    // value the shell may have dropped) or as a key of the body.
    let toggled = cmdlet.toggles.iter().any(|toggle| {
        inv.args.iter().any(|arg| {
            param_word(&arg.text).is_some_and(|(name, _)| {
                resolve_param(&cmdlet.spec, &name).is_some_and(|(full, _)| full == *toggle)
            })
        }) || bodies
            .iter()
            .any(|body| !hashtable_ranges(body, toggle).is_empty())
    });
    if !written && !toggled {
        return None;
    }
    let name = cmdlet
        .resource
        .iter()
        .find_map(|name| bound.value(name))
        .and_then(|value| list(value).into_iter().next())
        .map_or_else(
            || cmdlet.what.to_owned(),
            |item| format!("{} {item}", cmdlet.what),
        );
    let mut outcome = Outcome::default();
    if grantees.is_empty() {
        grantees_push(&mut outcome, &name, None);
    }
    for grantee in grantees {
        grantees_push(&mut outcome, &name, Some(grantee));
    }
    Some(outcome)
}

fn grantees_push(outcome: &mut Outcome, resource: &str, grantee: Option<String>) {
    outcome.effects.push(Effect::GrantAccess {
        resource: Resource::Other {
            name: resource.to_owned(),
        },
        grantee,
    });
}

/// The addresses a recipient value names: the items of a list, or of a
/// multi-valued property's `@{Add=...}` (`Remove` takes one away: a
/// change still); Exchange's `smtp:` prefix is not part of the address.
fn recipients_of(text: &str) -> Vec<String> {
    let text = text.trim();
    let items: Vec<String> = if let Some(inner) = text
        .strip_prefix('@')
        .unwrap_or(text)
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
    {
        // Addresses hold no `;` or `=`: each entry is `Key = a, b`.
        inner
            .split([';', '\n'])
            .filter_map(|entry| entry.split_once('='))
            .filter(|(key, _)| {
                let key = key.trim().trim_matches(['"', '\'']);
                key.eq_ignore_ascii_case("add") || key.eq_ignore_ascii_case("remove")
            })
            .flat_map(|(_, value)| list(&crate::args::Arg::literal(value)))
            .collect()
    } else {
        list(&crate::args::Arg::literal(text))
    };
    items.iter().filter_map(|item| address(item)).collect()
}

/// A recipient as written, without an `smtp:` prefix; `None` for a
/// cleared value (`$null`, which the rewrite makes `/dev/null`, or a
/// value the shell dropped so that the next parameter stands in its
/// place).
fn address(item: &str) -> Option<String> {
    let item = item.trim().trim_matches(['"', '\'']).trim();
    let item = match item.split_once(':') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("smtp") => rest,
        _ => item,
    };
    let cleared = item.is_empty()
        || item.starts_with('-')
        || item.starts_with('$')
        || item.eq_ignore_ascii_case("/dev/null");
    (!cleared).then(|| item.to_owned())
}
