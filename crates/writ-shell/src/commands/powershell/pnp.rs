//! PnP PowerShell (SharePoint Online): `Connect-PnPOnline [-Url] SITE`
//! opens the connection later PnP cmdlets use unless given another
//! (`-Connection $c`, from `Connect-PnPOnline ... -ReturnConnection`).
//! The statement pass ([`replacements`]) gives each PnP cmdlet after a
//! connect that connection as its `-Connection`, and `Connect-PnPOnline`
//! returns an [`Object::PnpConnection`], so the site travels as sessions
//! do.
//!
//! - `Add-PnPFile -Path LOCAL -Folder F [-NewFileName N]` uploads LOCAL to
//!   the site's folder F.
//! - `Add-PnPFileAnonymousSharingLink -FileUrl F` and
//!   `Add-PnPFolderAnonymousSharingLink -Folder F` make F public.
//! - `Add-PnPFileUserSharingLink|Add-PnPFileSharingInvite -FileUrl|
//!   -Identity F -Users U`, their folder forms, `Add-PnPGroupMember
//!   -LoginName U -Group G` and `Add-PnPSiteCollectionAdmin -Owners U`
//!   give U access; `Add-PnPFile|FolderOrganizationalSharingLink` gives
//!   the whole organisation access.

use super::objects::{self, Object};
use super::statements::Span;
use super::{Bound, Cmdlet, bind, list, path_text, paths_of};
use crate::commands::{Invocation, Outcome, request, url};
use crate::{Effect, Payload, Resource, flow};

/// `Connect-PnPOnline [-Url] SITE ...`.
const CONNECT: Cmdlet = Cmdlet {
    values: &[
        "url",
        "clientid",
        "clientsecret",
        "tenant",
        "thumbprint",
        "certificatepath",
        "certificatebase64encoded",
        "certificatepassword",
        "credentials",
        "accesstoken",
        "azureenvironment",
        "connection",
        "redirecturi",
        "tenantadminurl",
        "environmentvariable",
    ],
    positional: 1,
    switches: &[
        "interactive",
        "devicelogin",
        "returnconnection",
        "managedidentity",
        "useweblogin",
        "currentcredentials",
        "launchbrowser",
        "forceauthentication",
        "validateconnection",
    ],
    aliases: &[],
};

/// The PnP cmdlets read here: their parameters together.
const PNP: Cmdlet = Cmdlet {
    values: &[
        "path",
        "folder",
        "fileurl",
        "identity",
        "users",
        "loginname",
        "group",
        "owners",
        "newfilename",
        "connection",
        "type",
        "role",
        "expirationdatetime",
        "password",
        "values",
        "contenttype",
        "checkincomment",
        "filename",
        "stream",
        "message",
    ],
    positional: 0,
    switches: &[
        "shareablelink",
        "checkout",
        "checkin",
        "publish",
        "approve",
        "usecheckinwebpart",
        "sendemail",
    ],
    aliases: &[("url", "fileurl"), ("emailaddress", "loginname")],
};

/// What a PnP cmdlet does to the item it names.
enum Act {
    Upload,
    Public,
    Users,
    Organisation,
}

fn act(program: &str) -> Option<Act> {
    Some(match program {
        "add-pnpfile" => Act::Upload,
        "add-pnpfileanonymoussharinglink" | "add-pnpfolderanonymoussharinglink" => Act::Public,
        "add-pnpfileusersharinglink"
        | "add-pnpfolderusersharinglink"
        | "add-pnpfilesharinginvite"
        | "add-pnpfoldersharinginvite"
        | "add-pnpgroupmember"
        | "add-pnpsitecollectionadmin" => Act::Users,
        "add-pnpfileorganizationalsharinglink" | "add-pnpfolderorganizationalsharinglink" => {
            Act::Organisation
        }
        _ => return None,
    })
}

/// `Connect-PnPOnline` and the PnP cmdlets that upload or share.
pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if inv.program == "connect-pnponline" {
        let bound = bind(&CONNECT, inv.args);
        let mut outcome = Outcome::default();
        if let Some(site) = bound.value("url") {
            let site = site.text.trim_matches(['\'', '"']).to_owned();
            outcome.stdout = Some(objects::printed(&[Object::PnpConnection { site }]));
        }
        return Some(outcome);
    }
    let act = act(inv.program)?;
    let bound = bind(&PNP, inv.args);
    let mut outcome = Outcome::default();
    if bound.switch("whatif") {
        return Some(outcome);
    }
    let site = connected_site(&bound);
    match act {
        Act::Upload => upload(inv, &bound, site.as_deref(), &mut outcome),
        Act::Public => {
            for item in items(&bound, site.as_deref()) {
                outcome.effects.push(Effect::MakePublic {
                    resource: Resource::Other { name: item },
                });
            }
        }
        Act::Users | Act::Organisation => {
            let users: Vec<String> = ["users", "loginname", "owners"]
                .iter()
                .flat_map(|name| bound.all(name))
                .flat_map(list)
                .collect();
            let mut resources = items(&bound, site.as_deref());
            if resources.is_empty() {
                resources.push(site.clone().unwrap_or_else(|| "sharepoint site".to_owned()));
            }
            for resource in resources {
                let grantees: Vec<Option<String>> = if users.is_empty() {
                    vec![None]
                } else {
                    users.iter().cloned().map(Some).collect()
                };
                for grantee in grantees {
                    outcome.effects.push(Effect::GrantAccess {
                        resource: Resource::Other {
                            name: resource.clone(),
                        },
                        grantee,
                    });
                }
            }
        }
    }
    Some(outcome)
}

/// The site of the connection a cmdlet was given.
fn connected_site(bound: &Bound) -> Option<String> {
    bound
        .all("connection")
        .flat_map(objects::in_value)
        .find_map(|object| match object {
            Object::PnpConnection { site } => Some(site),
            _ => None,
        })
}

/// The files, folders or groups a cmdlet names, as URLs on the site when
/// it is known.
fn items(bound: &Bound, site: Option<&str>) -> Vec<String> {
    ["fileurl", "folder", "identity", "group"]
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(list)
        .map(|item| on_site(site, &item))
        .collect()
}

/// A server-relative (`/sites/x/...`) or site-relative item as a URL.
fn on_site(site: Option<&str>, item: &str) -> String {
    let item = item.replace('\\', "/");
    if item.contains("://") {
        return item;
    }
    let Some(site) = site else {
        return item;
    };
    let site = site.trim_end_matches('/');
    if item.starts_with('/') {
        let origin = site
            .split_once("://")
            .map(|(scheme, rest)| {
                let host = rest.split('/').next().unwrap_or(rest);
                format!("{scheme}://{host}")
            })
            .unwrap_or_else(|| site.to_owned());
        return format!("{origin}{item}");
    }
    format!("{site}/{item}")
}

/// `Add-PnPFile -Path LOCAL -Folder F [-NewFileName N]`: LOCAL goes to
/// the site's folder F; with no connection known, it is only read.
fn upload(inv: &Invocation<'_>, bound: &Bound, site: Option<&str>, outcome: &mut Outcome) {
    let locals = paths_of(inv, bound, &["path"]);
    let Some(site) = site else {
        for local in locals {
            outcome.read(local, false);
        }
        return;
    };
    let folder = bound
        .value("folder")
        .map(|f| f.text.trim_matches(['\'', '"']).to_owned())
        .unwrap_or_default();
    for (local, written) in locals.iter().zip(bound.all("path").flat_map(list)) {
        let name = bound
            .value("newfilename")
            .map(|n| n.text.trim_matches(['\'', '"']).to_owned())
            .unwrap_or_else(|| {
                path_text(&written)
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            });
        let mut payload = Payload::default();
        flow::push_file(
            &mut payload,
            crate::FileRef {
                path: local.clone(),
                recursive: false,
                excludes: Vec::new(),
            },
        );
        let address = on_site(Some(site), &format!("{}/{name}", folder.trim_matches('/')))
            .replace(' ', "%20");
        outcome
            .effects
            .push(request(inv.program, url(&address), "PUT", payload, false));
    }
}

/// Each PnP cmdlet after a `Connect-PnPOnline` statement, given no
/// connection of its own, is given that one: `-Connection
/// (Connect-PnPOnline -Url SITE)`.
pub(super) fn replacements(code: &str, spans: &[Span]) -> Vec<(Span, String)> {
    let mut site: Option<String> = None;
    let mut out = Vec::new();
    for span in spans {
        let Some(text) = code.get(span.0..span.1) else {
            continue;
        };
        let mut words = text.split_whitespace();
        let first = words.next().unwrap_or_default().to_ascii_lowercase();
        if first == "connect-pnponline" {
            site = connect_url(text);
            continue;
        }
        let is_pnp = first
            .split_once('-')
            .is_some_and(|(_, noun)| noun.starts_with("pnp"));
        let has_connection = text.to_ascii_lowercase().contains("-connection");
        if let Some(site) = site.as_deref().filter(|_| is_pnp && !has_connection) {
            let quoted = site.replace('\'', "''");
            out.push((
                *span,
                format!("{text} -Connection (Connect-PnPOnline -Url '{quoted}')"),
            ));
        }
    }
    out
}

/// The site a `Connect-PnPOnline` statement names (`-Url SITE`, or its
/// first positional).
fn connect_url(statement: &str) -> Option<String> {
    let words: Vec<&str> = statement.split_whitespace().skip(1).collect();
    let named = words
        .windows(2)
        .find(|pair| pair.first().is_some_and(|w| w.eq_ignore_ascii_case("-url")))
        .and_then(|pair| pair.get(1));
    let positional = words.first().filter(|w| !w.starts_with('-'));
    named
        .or(positional)
        .map(|w| w.trim_matches(['\'', '"']).to_owned())
        .filter(|w| w.contains("://"))
}
