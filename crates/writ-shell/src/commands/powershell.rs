//! PowerShell: cmdlets run as programs (`Invoke-RestMethod`,
//! `Send-MailMessage`, `Remove-Item`, `Set-Content`, `Stop-Process`,
//! `Install-Module`, ...) with PowerShell's parameter syntax, and `pwsh
//! -Command TEXT` / `powershell.exe -Command TEXT`, whose text is rewritten
//! into shell text ([`to_bash`]) and analysed as a nested script so that its
//! statements reach the same cmdlet handlers.
//!
//! This is not a PowerShell parser: it reads the common forms of the
//! cmdlets that send, delete, write, stop or install, and leaves the rest
//! to the shell walk (unknown cmdlets report their path-like arguments).
//! Script blocks given as values run where their cmdlet runs them
//! (`blocks.rs`); objects one cmdlet returns and another takes (sessions,
//! task actions, processes) travel as the text the walk keeps with a
//! value (`objects.rs`); remoting sessions, copies and commands reach
//! their hosts (`remoting.rs`); scheduled tasks run their actions
//! (`tasks.rs`); a `.ps1` script written earlier runs with its parameters
//! bound (`scripts.rs`, `binding.rs`: `-WhatIf` makes its
//! `$PSCmdlet.ShouldProcess(...)` false, and `if` statements whose
//! conditions become constants keep only what runs, `conditions.rs`);
//! hashtables indexed by a known key are the values (`indexes.rs`);
//! mailbox forwarding and account switches are in `settings.rs`.
//! Splatted arrays and hashtables are written out as the arguments they
//! stand for (`splatting.rs`), loops over literal lists
//! unrolled (`loops.rs`), .NET web clients' requests read as
//! `Invoke-WebRequest` (`dotnet.rs`), AWS Tools' S3 transfers and ACLs as
//! `aws s3 cp` and `aws s3api` (`aws_tools.rs`), and Graph requests
//! (`Invoke-MgGraphRequest`) with their hashtable bodies as JSON
//! (`graph.rs`). Environment variables read by .NET or the `Env:` drive
//! are read as `$env:NAME` (`environment.rs`), and pipelines that go on
//! past a line's end are one statement (`continuation.rs`). Statements
//! whose output is assigned (`$x = foreach/switch/if ...`) are the
//! subexpressions they stand for (`captures.rs`), and a `-Command` word
//! that prints a heredoc (`"$(cat <<'PS1' ... PS1)"`) is the heredoc's
//! text (`heredoc.rs`).

mod aws_tools;
mod binding;
mod blocks;
mod captures;
mod conditions;
mod continuation;
mod dotnet;
mod environment;
mod format;
mod functions;
mod grants;
mod graph;
mod heredoc;
mod indexes;
mod items;
mod joins;
mod loops;
mod objects;
mod outlook;
mod piped_paths;
mod pnp;
mod remoting;
mod scripts;
mod settings;
mod splatting;
mod statements;
mod strings;
mod table_commands;
mod tasks;
mod uris;

pub(super) use scripts::written_script_jobs;

use super::{Invocation, Nested, Outcome, request, send_file, url};
use crate::args::Arg;
use crate::{Effect, Message, PackageInstall, Payload, Resource, flow};

/// The name (letters, digits and `_`) that starts at `from` in `chars`:
/// a variable's after its `$`, a splat's after its `@`.
fn word_at(chars: &[char], from: usize) -> String {
    chars
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
        .collect()
}

/// A cmdlet's parameters: value parameters in positional order first
/// (`positional` of them bind positional arguments), then switches and
/// parameter aliases.
struct Cmdlet {
    values: &'static [&'static str],
    positional: usize,
    switches: &'static [&'static str],
    aliases: &'static [(&'static str, &'static str)],
}

const COMMON_ALIASES: &[(&str, &str)] = &[
    ("ea", "erroraction"),
    ("wa", "warningaction"),
    ("ev", "errorvariable"),
    ("ov", "outvariable"),
    ("pv", "pipelinevariable"),
    ("lp", "literalpath"),
    ("pspath", "literalpath"),
];

/// Switches every cmdlet accepts (or that commonly appear).
const COMMON_SWITCHES: &[&str] = &["whatif", "confirm", "verbose", "debug", "force", "passthru"];

/// Cmdlets whose `-WhatIf` only says what they would change (they
/// support `ShouldProcess`): with it they change nothing.
const PREVIEWED: &[&str] = &[
    "remove-item",
    "set-content",
    "add-content",
    "clear-content",
    "out-file",
    "export",
    "new-item",
    "copy-item",
    "move-item",
    "rename-item",
    "stop-process",
    "stop-service",
    "install",
    "compress-archive",
    "expand-archive",
];

const WEB: Cmdlet = Cmdlet {
    values: &[
        "uri",
        "method",
        "body",
        "infile",
        "headers",
        "outfile",
        "contenttype",
        "credential",
        "token",
        "form",
        "websession",
        "sessionvariable",
        "authentication",
        "useragent",
        "proxy",
        "proxycredential",
        "timeoutsec",
        "maximumredirection",
        "maximumretrycount",
        "retryintervalsec",
        "transferencoding",
        "custommethod",
        "certificate",
        "certificatethumbprint",
        "responseheaderstvariable",
        "statuscodevariable",
        "sslprotocol",
        "httpversion",
    ],
    positional: 1,
    switches: &[
        "usebasicparsing",
        "usedefaultcredentials",
        "skipcertificatecheck",
        "skipheadervalidation",
        "skiphttperrorcheck",
        "disablekeepalive",
        "allowunencryptedauthentication",
        "nouseproxy",
        "resume",
        "preservemethod",
        "followrellink",
    ],
    aliases: &[
        ("url", "uri"),
        ("cm", "custommethod"),
        ("sv", "sessionvariable"),
    ],
};

const MAIL: Cmdlet = Cmdlet {
    values: &[
        "to",
        "subject",
        "body",
        "cc",
        "bcc",
        "from",
        "attachments",
        "smtpserver",
        "port",
        "credential",
        "encoding",
        "priority",
        "deliverynotificationoption",
        "replyto",
    ],
    positional: 3,
    switches: &["usessl", "bodyashtml"],
    aliases: &[
        ("attachment", "attachments"),
        ("pspath", "attachments"),
        ("computername", "smtpserver"),
        ("bah", "bodyashtml"),
        ("dno", "deliverynotificationoption"),
        ("be", "encoding"),
    ],
};

const REMOVE: Cmdlet = Cmdlet {
    values: &[
        "path",
        "literalpath",
        "filter",
        "include",
        "exclude",
        "credential",
        "stream",
    ],
    positional: 1,
    switches: &["recurse"],
    aliases: &[("fullname", "path")],
};

const SET_CONTENT: Cmdlet = Cmdlet {
    values: &[
        "path",
        "value",
        "literalpath",
        "encoding",
        "filter",
        "include",
        "exclude",
        "credential",
        "stream",
        "delimiter",
    ],
    positional: 2,
    switches: &["nonewline", "asbytestream"],
    aliases: &[],
};

const OUT_FILE: Cmdlet = Cmdlet {
    values: &[
        "filepath",
        "encoding",
        "literalpath",
        "inputobject",
        "width",
    ],
    positional: 2,
    switches: &["append", "noclobber", "nonewline"],
    aliases: &[("path", "filepath")],
};

/// `Export-Csv|Export-Clixml [-Path] FILE -InputObject X`: the objects
/// piped in (or given) are written to FILE.
const EXPORT: Cmdlet = Cmdlet {
    values: &[
        "path",
        "literalpath",
        "inputobject",
        "delimiter",
        "encoding",
        "depth",
        "quotefields",
        "usequotes",
    ],
    positional: 1,
    switches: &[
        "append",
        "noclobber",
        "notypeinformation",
        "includetypeinformation",
        "useculture",
        "noheader",
    ],
    aliases: &[
        ("nti", "notypeinformation"),
        ("uq", "usequotes"),
        ("qf", "quotefields"),
    ],
};

const NEW_ITEM: Cmdlet = Cmdlet {
    values: &["path", "itemtype", "name", "value", "credential"],
    positional: 1,
    switches: &[],
    aliases: &[("type", "itemtype")],
};

const GET_CONTENT: Cmdlet = Cmdlet {
    values: &[
        "path",
        "literalpath",
        "totalcount",
        "tail",
        "readcount",
        "encoding",
        "delimiter",
        "filter",
        "include",
        "exclude",
        "credential",
        "stream",
    ],
    positional: 1,
    switches: &["raw", "wait", "asbytestream"],
    aliases: &[
        ("head", "totalcount"),
        ("first", "totalcount"),
        ("last", "tail"),
    ],
};

/// `Select-String PATTERN PATH`: searches files (or what is piped in);
/// its pattern is a regular expression, not an address.
const SELECT_STRING: Cmdlet = Cmdlet {
    values: &[
        "pattern",
        "path",
        "literalpath",
        "include",
        "exclude",
        "encoding",
        "context",
        "culture",
        "inputobject",
    ],
    positional: 2,
    switches: &[
        "allmatches",
        "casesensitive",
        "list",
        "notmatch",
        "quiet",
        "raw",
        "simplematch",
        "noemphasis",
    ],
    aliases: &[],
};

const COPY: Cmdlet = Cmdlet {
    values: &[
        "path",
        "destination",
        "literalpath",
        "filter",
        "include",
        "exclude",
        "credential",
        "tosession",
        "fromsession",
    ],
    positional: 2,
    switches: &["recurse", "container"],
    aliases: &[],
};

const RENAME: Cmdlet = Cmdlet {
    values: &["path", "newname", "literalpath", "credential"],
    positional: 2,
    switches: &[],
    aliases: &[],
};

const STOP_PROCESS: Cmdlet = Cmdlet {
    values: &["id", "name", "inputobject"],
    positional: 1,
    switches: &[],
    aliases: &[("processname", "name"), ("pid", "id")],
};

/// `Get-Process [[-Name] N[,N...]] | -Id ID | -InputObject P ...`.
const GET_PROCESS: Cmdlet = Cmdlet {
    values: &["name", "id", "inputobject", "computername"],
    positional: 1,
    switches: &["module", "fileversioninfo", "includeusername"],
    aliases: &[
        ("processname", "name"),
        ("pid", "id"),
        ("cn", "computername"),
    ],
};

const STOP_SERVICE: Cmdlet = Cmdlet {
    values: &["name", "displayname", "inputobject", "include", "exclude"],
    positional: 1,
    switches: &["nowait"],
    aliases: &[("servicename", "name")],
};

const INSTALL: Cmdlet = Cmdlet {
    values: &[
        "name",
        "requiredversion",
        "minimumversion",
        "maximumversion",
        "repository",
        "source",
        "providername",
        "scope",
        "credential",
        "proxy",
        "proxycredential",
        "version",
        "inputobject",
    ],
    positional: 1,
    switches: &[
        "allowclobber",
        "skippublishercheck",
        "acceptlicense",
        "allowprerelease",
        "prerelease",
        "noclobber",
        "trustrepository",
        "reinstall",
        "quiet",
    ],
    aliases: &[("provider", "providername")],
};

const EXPRESSION: Cmdlet = Cmdlet {
    values: &["command"],
    positional: 1,
    switches: &[],
    aliases: &[],
};

const START_PROCESS: Cmdlet = Cmdlet {
    values: &[
        "filepath",
        "argumentlist",
        "workingdirectory",
        "credential",
        "verb",
        "windowstyle",
        "redirectstandardinput",
        "redirectstandardoutput",
        "redirectstandarderror",
    ],
    positional: 2,
    switches: &[
        "nonewwindow",
        "wait",
        "usenewenvironment",
        "loaduserprofile",
    ],
    aliases: &[("path", "filepath"), ("args", "argumentlist")],
};

const GRAPH_MAIL: Cmdlet = Cmdlet {
    values: &[
        "userid",
        "bodyparameter",
        "message",
        "inputobject",
        "headers",
    ],
    positional: 0,
    switches: &["savetosentitems"],
    aliases: &[],
};

/// `Get-ChildItem [[-Path] P[,P]] [[-Filter] F] [-Include I] [-Recurse]
/// [-Depth N] [-File] ...`.
const GET_CHILD_ITEM: Cmdlet = Cmdlet {
    values: &[
        "path",
        "filter",
        "literalpath",
        "include",
        "exclude",
        "depth",
        "attributes",
    ],
    positional: 2,
    switches: &[
        "recurse",
        "file",
        "directory",
        "hidden",
        "readonly",
        "system",
        "name",
        "followsymlink",
    ],
    aliases: &[
        ("s", "recurse"),
        ("ad", "directory"),
        ("af", "file"),
        ("ah", "hidden"),
        ("ar", "readonly"),
        ("as", "system"),
    ],
};

/// `Get-Item [-Path] P[,P]` / `-LiteralPath P`.
const GET_ITEM: Cmdlet = Cmdlet {
    values: &[
        "path",
        "literalpath",
        "filter",
        "include",
        "exclude",
        "stream",
    ],
    positional: 1,
    switches: &[],
    aliases: &[],
};

const ARCHIVE: Cmdlet = Cmdlet {
    values: &["path", "destinationpath", "literalpath", "compressionlevel"],
    positional: 2,
    switches: &["update"],
    aliases: &[],
};

/// `Start-BitsTransfer [-Source] S[,S...] [[-Destination] D[,D...]]
/// [-TransferType Download|Upload|UploadReply] ...`.
const BITS_TRANSFER: Cmdlet = Cmdlet {
    values: &[
        "source",
        "destination",
        "transfertype",
        "displayname",
        "description",
        "priority",
        "customheaders",
        "notifycmdline",
        "notifyflags",
        "credential",
        "authentication",
        "httpmethod",
        "proxyauthentication",
        "proxybypass",
        "proxycredential",
        "proxylist",
        "proxyusage",
        "retryinterval",
        "retrytimeout",
        "maxdownloadtime",
        "transferpolicy",
        "aclflags",
        "securityflags",
        "usestoredcredential",
        "certstorelocation",
        "certstorename",
        "certhash",
    ],
    positional: 2,
    switches: &[
        "asynchronous",
        "dynamic",
        "customheaderswriteonly",
        "suspended",
    ],
    aliases: &[],
};

/// `Add-BitsFile [-BitsJob] J [-Source] S[,S...] [[-Destination] D[,D...]]`.
const ADD_BITS_FILE: Cmdlet = Cmdlet {
    values: &["bitsjob", "source", "destination"],
    positional: 3,
    switches: &[],
    aliases: &[],
};

/// `Set-AzStorageContainerAcl`/`New-AzStorageContainer [-Name] N
/// [-Permission] Off|Blob|Container -Context CTX`.
const CONTAINER_ACCESS: Cmdlet = Cmdlet {
    values: &[
        "name",
        "permission",
        "context",
        "servertimeoutperrequest",
        "clienttimeoutperrequest",
        "defaultprofile",
        "concurrenttaskcount",
        "defaultencryptionscope",
    ],
    positional: 2,
    switches: &["preventencryptionscopeoverride"],
    aliases: &[
        ("n", "name"),
        ("container", "name"),
        ("publicaccess", "permission"),
    ],
};

/// `New-AzRmStorageContainer`/`Update-AzRmStorageContainer
/// -ResourceGroupName RG -StorageAccountName A -Name N -PublicAccess L`.
const RM_CONTAINER_ACCESS: Cmdlet = Cmdlet {
    values: &[
        "resourcegroupname",
        "storageaccountname",
        "name",
        "publicaccess",
        "storageaccount",
        "inputobject",
        "metadata",
        "defaultprofile",
        "defaultencryptionscope",
    ],
    positional: 3,
    switches: &["preventencryptionscopeoverride"],
    aliases: &[
        ("n", "name"),
        ("containername", "name"),
        ("accountname", "storageaccountname"),
    ],
};

/// A cmdlet that changes who may use something: the parameters that name
/// the resource and those that name who gains or loses access (removing
/// a member changes access as adding one does).
struct AccessCmdlet {
    spec: Cmdlet,
    /// What the resource is, the start of its name (`active directory group`).
    what: &'static str,
    resource: &'static [&'static str],
    grantee: &'static [&'static str],
    /// The resource parameters name files (`Set-Acl -Path`).
    paths: bool,
}

const AD_GROUP_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "identity",
            "members",
            "server",
            "credential",
            "authtype",
            "partition",
        ],
        positional: 2,
        switches: &["disablepermissivemodify"],
        aliases: &[],
    },
    what: "active directory group",
    resource: &["identity"],
    grantee: &["members"],
    paths: false,
};

const AD_PRINCIPAL_MEMBERSHIP: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "identity",
            "memberof",
            "server",
            "credential",
            "authtype",
            "partition",
        ],
        positional: 2,
        switches: &[],
        aliases: &[],
    },
    what: "active directory group",
    resource: &["memberof"],
    grantee: &["identity"],
    paths: false,
};

const LOCAL_GROUP_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &["group", "member", "name", "sid"],
        positional: 2,
        switches: &[],
        aliases: &[],
    },
    what: "local group",
    resource: &["group", "name", "sid"],
    grantee: &["member"],
    paths: false,
};

const AZ_ROLE_ASSIGNMENT: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "objectid",
            "signinname",
            "applicationid",
            "roledefinitionname",
            "roledefinitionid",
            "scope",
            "resourcegroupname",
            "resourcename",
            "resourcetype",
            "parentresource",
            "description",
            "condition",
            "conditionversion",
            "objecttype",
            "defaultprofile",
            "inputobject",
        ],
        positional: 0,
        switches: &["allowdelegation", "skipclientsidescopevalidation"],
        aliases: &[
            ("id", "objectid"),
            ("principalid", "objectid"),
            ("email", "signinname"),
            ("userprincipalname", "signinname"),
            ("spn", "applicationid"),
            ("serviceprincipalname", "applicationid"),
        ],
    },
    what: "azure role assignment",
    resource: &[
        "roledefinitionname",
        "roledefinitionid",
        "scope",
        "resourcegroupname",
        "resourcename",
    ],
    grantee: &["signinname", "objectid", "applicationid"],
    paths: false,
};

const AZ_AD_GROUP_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "targetgroupobjectid",
            "targetgroupdisplayname",
            "targetgroupobject",
            "memberuserprincipalname",
            "memberobjectid",
            "groupobjectid",
            "groupdisplayname",
        ],
        positional: 0,
        switches: &[],
        aliases: &[],
    },
    what: "entra group",
    resource: &[
        "targetgroupdisplayname",
        "targetgroupobjectid",
        "groupdisplayname",
        "groupobjectid",
    ],
    grantee: &["memberuserprincipalname", "memberobjectid"],
    paths: false,
};

/// Exchange mailbox, recipient and folder permissions, and group and
/// role group members: `-Identity` is what is shared, `-User`,
/// `-Trustee` or `-Member` who.
const EXCHANGE_PERMISSION: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "identity",
            "user",
            "trustee",
            "member",
            "links",
            "linktype",
            "owner",
            "accessrights",
            "extendedrights",
            "inheritancetype",
            "sharingpermissionflags",
            "automapping",
            "domaincontroller",
            "instance",
            "properties",
        ],
        positional: 1,
        switches: &["sendnotificationtouser", "bypasssecuritygroupmanagercheck"],
        aliases: &[],
    },
    what: "exchange",
    resource: &["identity"],
    grantee: &["user", "trustee", "member", "links", "owner"],
    paths: false,
};

const EXCHANGE_ROLE_ASSIGNMENT: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "name",
            "role",
            "user",
            "securitygroup",
            "policy",
            "app",
            "customrecipientwritescope",
            "customresourcescope",
            "recipientorganizationalunitscope",
            "recipientadministrativeunitscope",
            "recipientgroupscope",
            "exclusiverecipientwritescope",
        ],
        positional: 1,
        switches: &["delegating"],
        aliases: &[],
    },
    what: "exchange management role",
    resource: &["role"],
    grantee: &["user", "securitygroup", "app", "policy"],
    paths: false,
};

/// Microsoft Graph PowerShell's group members and owners and directory
/// role members: `-GroupId`/`-DirectoryRoleId` is the group or role,
/// `-DirectoryObjectId`, `-OdataId` or the body's `@odata.id` who.
const GRAPH_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "groupid",
            "directoryroleid",
            "directoryobjectid",
            "odataid",
            "bodyparameter",
            "additionalproperties",
            "inputobject",
        ],
        positional: 0,
        switches: &[],
        aliases: &[],
    },
    what: "entra",
    resource: &["groupid", "directoryroleid"],
    grantee: &["directoryobjectid", "odataid", "bodyparameter"],
    paths: false,
};

/// Microsoft Teams membership through Graph: `New-MgTeamMember -TeamId T
/// -BodyParameter @{ roles = @('owner'); 'user@odata.bind' = ... }` (and
/// channel members, updates of a member's roles). The Teams module's
/// `Add-TeamUser` is [`grants`]'.
const TEAM_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "teamid",
            "channelid",
            "conversationmemberid",
            "bodyparameter",
            "additionalproperties",
            "roles",
        ],
        positional: 0,
        switches: &[],
        aliases: &[],
    },
    what: "microsoft team",
    resource: &["teamid"],
    grantee: &["bodyparameter", "additionalproperties"],
    paths: false,
};

/// `New-MgRoleManagementDirectoryRoleAssignment -PrincipalId P
/// -RoleDefinitionId R -DirectoryScopeId S` (or a `-BodyParameter` with
/// those keys), and app role assignments (`New-MgUserAppRoleAssignment`).
const GRAPH_ROLE_ASSIGNMENT: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "principalid",
            "roledefinitionid",
            "directoryscopeid",
            "appscopeid",
            "unifiedroleassignmentid",
            "userid",
            "serviceprincipalid",
            "groupid",
            "resourceid",
            "approleid",
            "clientid",
            "scope",
            "consenttype",
            "bodyparameter",
            "additionalproperties",
            "inputobject",
        ],
        positional: 0,
        switches: &[],
        aliases: &[],
    },
    what: "entra role assignment",
    resource: &[
        "roledefinitionid",
        "directoryscopeid",
        "resourceid",
        "approleid",
        "scope",
    ],
    grantee: &["principalid", "bodyparameter"],
    paths: false,
};

/// An account's lifecycle changes its owner's access to everything the
/// organisation gave it: creating, enabling, disabling, unlocking or
/// deleting it, or revoking its sessions. The account is the
/// organisation's, so it is named in the resource with no grantee.
const AD_ACCOUNT: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "identity",
            "name",
            "samaccountname",
            "userprincipalname",
            "server",
            "credential",
            "authtype",
            "partition",
            "path",
        ],
        positional: 1,
        switches: &[],
        aliases: &[],
    },
    what: "active directory account",
    resource: &["identity", "samaccountname", "userprincipalname", "name"],
    grantee: &[],
    paths: false,
};

const LOCAL_ACCOUNT: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "name",
            "sid",
            "inputobject",
            "password",
            "description",
            "fullname",
        ],
        positional: 1,
        switches: &["nopassword", "accountneverexpires", "disabled"],
        aliases: &[],
    },
    what: "local account",
    resource: &["name", "sid"],
    grantee: &[],
    paths: false,
};

/// Entra users through Microsoft Graph (`-UserId`), AzureAD
/// (`-ObjectId`) and MSOnline (`-UserPrincipalName`).
const ENTRA_ACCOUNT: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "userid",
            "objectid",
            "userprincipalname",
            "displayname",
            "mailnickname",
            "passwordprofile",
            "bodyparameter",
            "inputobject",
        ],
        positional: 0,
        switches: &["accountenabled", "force"],
        aliases: &[],
    },
    what: "entra user",
    resource: &["userid", "objectid", "userprincipalname"],
    grantee: &[],
    paths: false,
};

const SET_ACL: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "path",
            "aclobject",
            "literalpath",
            "inputobject",
            "securitydescriptor",
            "filter",
            "include",
            "exclude",
            "centralaccesspolicy",
        ],
        positional: 2,
        switches: &["clearcentralaccesspolicy"],
        aliases: &[],
    },
    what: "",
    resource: &["path", "literalpath"],
    grantee: &[],
    paths: true,
};

const SMB_SHARE_ACCESS: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "name",
            "scopename",
            "accountname",
            "accessright",
            "cimsession",
            "inputobject",
        ],
        positional: 2,
        switches: &[],
        aliases: &[],
    },
    what: "smb share",
    resource: &["name"],
    grantee: &["accountname"],
    paths: false,
};

/// The access-changing cmdlet a program name is.
fn access_cmdlet(program: &str) -> Option<&'static AccessCmdlet> {
    Some(match program {
        "add-adgroupmember" | "remove-adgroupmember" => &AD_GROUP_MEMBER,
        "add-adprincipalgroupmembership" | "remove-adprincipalgroupmembership" => {
            &AD_PRINCIPAL_MEMBERSHIP
        }
        "add-localgroupmember" | "remove-localgroupmember" => &LOCAL_GROUP_MEMBER,
        "new-azroleassignment" | "remove-azroleassignment" | "set-azroleassignment" => {
            &AZ_ROLE_ASSIGNMENT
        }
        "add-azadgroupmember" | "remove-azadgroupmember" => &AZ_AD_GROUP_MEMBER,
        "add-mailboxpermission"
        | "remove-mailboxpermission"
        | "add-recipientpermission"
        | "remove-recipientpermission"
        | "add-mailboxfolderpermission"
        | "set-mailboxfolderpermission"
        | "remove-mailboxfolderpermission"
        | "add-adpermission"
        | "remove-adpermission"
        | "add-distributiongroupmember"
        | "remove-distributiongroupmember"
        | "update-distributiongroupmember"
        | "add-rolegroupmember"
        | "remove-rolegroupmember"
        | "add-unifiedgrouplinks"
        | "remove-unifiedgrouplinks" => &EXCHANGE_PERMISSION,
        "new-managementroleassignment" | "remove-managementroleassignment" => {
            &EXCHANGE_ROLE_ASSIGNMENT
        }
        "new-mggroupmember"
        | "new-mggroupmemberbyref"
        | "new-mggroupowner"
        | "new-mggroupownerbyref"
        | "remove-mggroupmemberbyref"
        | "remove-mggroupmemberdirectoryobjectbyref"
        | "remove-mggroupownerbyref"
        | "remove-mggroupownerdirectoryobjectbyref"
        | "new-mgdirectoryrolememberbyref"
        | "remove-mgdirectoryrolememberbyref"
        | "remove-mgdirectoryrolememberdirectoryobjectbyref" => &GRAPH_MEMBER,
        "new-mgteammember"
        | "update-mgteammember"
        | "new-mgteamchannelmember"
        | "update-mgteamchannelmember" => &TEAM_MEMBER,
        "new-mgrolemanagementdirectoryroleassignment"
        | "remove-mgrolemanagementdirectoryroleassignment"
        | "new-mgrolemanagementdirectoryroleeligibilityschedulerequest"
        | "new-mgrolemanagementdirectoryroleassignmentschedulerequest"
        | "new-mguserapproleassignment"
        | "new-mgserviceprincipalapproleassignment"
        | "new-mgserviceprincipalapproleassignedto"
        | "new-mggroupapproleassignment"
        | "new-mgoauth2permissiongrant" => &GRAPH_ROLE_ASSIGNMENT,
        "new-aduser" | "remove-aduser" | "enable-adaccount" | "disable-adaccount"
        | "unlock-adaccount" => &AD_ACCOUNT,
        "new-localuser" | "remove-localuser" | "enable-localuser" | "disable-localuser" => {
            &LOCAL_ACCOUNT
        }
        "new-mguser"
        | "remove-mguser"
        | "revoke-mgusersigninsession"
        | "remove-azureaduser"
        | "revoke-azureaduserallrefreshtoken"
        | "remove-msoluser" => &ENTRA_ACCOUNT,
        "set-acl" => &SET_ACL,
        "grant-smbshareaccess"
        | "revoke-smbshareaccess"
        | "block-smbshareaccess"
        | "unblock-smbshareaccess" => &SMB_SHARE_ACCESS,
        _ => return None,
    })
}

/// Whether a line's first word is a PowerShell cmdlet's full name
/// (`Invoke-RestMethod`, not an alias such as `rm`): such a line is a
/// PowerShell script, whatever shell the tool was declared as.
pub(crate) fn starts_with_cmdlet(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or_default();
    let lower = first.to_ascii_lowercase();
    (first.contains('-') && cmdlet(&lower).is_some())
        || POWERSHELL_ONLY_ALIASES.contains(&lower.as_str())
}

/// Aliases of cmdlets that name no program a Unix shell has (`irm`, not
/// `ls`, `curl`, Ruby's `ri`, Elixir's `iex` or the JS `ni`): a line starting with
/// one is PowerShell's.
const POWERSHELL_ONLY_ALIASES: &[&str] = &["irm", "iwr", "icm", "gci"];

/// Whether a line's first word is written as a cmdlet is, known or not.
pub(crate) fn starts_with_cmdlet_shaped(line: &str) -> bool {
    cmdlet_shaped(line.split_whitespace().next().unwrap_or_default())
}

/// PowerShell's approved verbs (`Get-Verb`).
const APPROVED_VERBS: &[&str] = &[
    "Add",
    "Approve",
    "Assert",
    "Backup",
    "Block",
    "Build",
    "Checkpoint",
    "Clear",
    "Close",
    "Compare",
    "Complete",
    "Compress",
    "Confirm",
    "Connect",
    "Convert",
    "ConvertFrom",
    "ConvertTo",
    "Copy",
    "Debug",
    "Deny",
    "Deploy",
    "Disable",
    "Disconnect",
    "Dismount",
    "Edit",
    "Enable",
    "Enter",
    "Exit",
    "Expand",
    "Export",
    "Find",
    "Format",
    "Get",
    "Grant",
    "Group",
    "Hide",
    "Import",
    "Initialize",
    "Install",
    "Invoke",
    "Join",
    "Limit",
    "Lock",
    "Measure",
    "Merge",
    "Mount",
    "Move",
    "New",
    "Open",
    "Optimize",
    "Ping",
    "Pop",
    "Protect",
    "Publish",
    "Push",
    "Read",
    "Receive",
    "Redo",
    "Register",
    "Remove",
    "Rename",
    "Repair",
    "Request",
    "Reset",
    "Resize",
    "Resolve",
    "Restart",
    "Restore",
    "Resume",
    "Revoke",
    "Save",
    "Search",
    "Select",
    "Send",
    "Set",
    "Show",
    "Skip",
    "Split",
    "Start",
    "Step",
    "Stop",
    "Submit",
    "Suspend",
    "Switch",
    "Sync",
    "Test",
    "Trace",
    "Unblock",
    "Undo",
    "Uninstall",
    "Unlock",
    "Unprotect",
    "Unpublish",
    "Unregister",
    "Update",
    "Use",
    "Wait",
    "Watch",
    "Write",
];

/// A name written as a cmdlet is (`New-PSDrive`, `Get-ADUser`): an
/// approved verb and a noun, each capitalised, the noun letters and
/// digits. Unix programs with the same shape are lower-case
/// (`update-alternatives`).
fn cmdlet_shaped(word: &str) -> bool {
    let Some((verb, noun)) = word.split_once('-') else {
        return false;
    };
    APPROVED_VERBS.contains(&verb)
        && noun.starts_with(|c: char| c.is_ascii_uppercase())
        && noun.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The cmdlet a program name (lower-cased by the walk) or alias names,
/// and whether the alias is also a Unix command (`rm`, `cp`, `kill`):
/// those are taken only when PowerShell parameters show it is PowerShell.
fn cmdlet(program: &str) -> Option<(&'static str, bool)> {
    Some(match program {
        "invoke-restmethod" | "irm" => ("invoke-restmethod", false),
        "invoke-webrequest" | "iwr" => ("invoke-webrequest", false),
        "send-mailmessage" => ("send-mailmessage", false),
        "remove-item" | "del" | "erase" | "rd" => ("remove-item", false),
        // `ri` is also Ruby's documentation reader.
        "rm" | "rmdir" | "ri" => ("remove-item", true),
        "set-content" => ("set-content", false),
        // `sc` is Set-Content in Windows PowerShell, `sc.exe` elsewhere.
        "sc" => ("set-content", true),
        "add-content" | "ac" => ("add-content", false),
        "clear-content" | "clc" => ("clear-content", false),
        "out-file" => ("out-file", false),
        "export-csv" | "epcsv" | "export-clixml" => ("export", false),
        "new-item" => ("new-item", false),
        // `ni` is also the JavaScript package installer's command.
        "ni" => ("new-item", true),
        "get-content" | "gc" => ("get-content", false),
        "import-csv" | "ipcsv" => ("get-content", false),
        "select-string" => ("select-string", false),
        // `sls` is also the Serverless Framework's CLI.
        "sls" => ("select-string", true),
        "cat" | "type" => ("get-content", true),
        "copy-item" | "copy" | "cpi" => ("copy-item", false),
        "cp" => ("copy-item", true),
        "move-item" | "move" | "mi" => ("move-item", false),
        "mv" => ("move-item", true),
        "rename-item" | "ren" | "rni" => ("rename-item", false),
        "stop-process" | "spps" => ("stop-process", false),
        "kill" => ("stop-process", true),
        "stop-service" | "spsv" => ("stop-service", false),
        "restart-service" | "suspend-service" => ("stop-service", false),
        "install-module" | "install-package" | "install-script" | "install-psresource" => {
            ("install", false)
        }
        "invoke-expression" | "iex" => ("invoke-expression", false),
        "start-process" | "saps" => ("start-process", false),
        "send-mgusermail" => ("send-mgusermail", false),
        "compress-archive" => ("compress-archive", false),
        "expand-archive" => ("expand-archive", false),
        "start-bitstransfer" => ("start-bitstransfer", false),
        "add-bitsfile" => ("add-bitsfile", false),
        "set-azstoragecontaineracl" | "new-azstoragecontainer" => ("container-access", false),
        "new-azrmstoragecontainer" | "update-azrmstoragecontainer" => {
            ("rm-container-access", false)
        }
        "import-module" | "ipmo" | "get-childitem" | "gci" | "get-item" | "gi" | "get-process"
        | "gps" | "get-service" | "gsv" | "write-host" | "write-output" | "get-location" | "gl"
        | "set-location" | "test-path" | "select-object" | "where-object" | "foreach-object"
        | "%" | "get-date" | "get-help" | "get-command" | "gcm" | "convertto-json"
        | "convertfrom-json" | "format-table" | "ft" | "format-list" | "fl" | "measure-object"
        | "sort-object" => ("inert", false),
        _ => return None,
    })
}

fn spec(cmdlet: &str) -> Option<&'static Cmdlet> {
    Some(match cmdlet {
        "invoke-restmethod" | "invoke-webrequest" => &WEB,
        "send-mailmessage" => &MAIL,
        "remove-item" => &REMOVE,
        "set-content" | "add-content" | "clear-content" => &SET_CONTENT,
        "out-file" => &OUT_FILE,
        "export" => &EXPORT,
        "new-item" => &NEW_ITEM,
        "get-content" => &GET_CONTENT,
        "select-string" => &SELECT_STRING,
        "copy-item" | "move-item" => &COPY,
        "rename-item" => &RENAME,
        "stop-process" => &STOP_PROCESS,
        "stop-service" => &STOP_SERVICE,
        "install" => &INSTALL,
        "invoke-expression" => &EXPRESSION,
        "start-process" => &START_PROCESS,
        "send-mgusermail" => &GRAPH_MAIL,
        "compress-archive" | "expand-archive" => &ARCHIVE,
        "start-bitstransfer" => &BITS_TRANSFER,
        "add-bitsfile" => &ADD_BITS_FILE,
        "container-access" => &CONTAINER_ACCESS,
        "rm-container-access" => &RM_CONTAINER_ACCESS,
        _ => return None,
    })
}

/// Arguments bound to a cmdlet's parameters.
#[derive(Debug, Default)]
struct Bound {
    /// `(parameter, value)`, lower-case full names.
    values: Vec<(String, Arg)>,
    switches: Vec<String>,
    /// Positional arguments beyond those the cmdlet binds.
    extra: Vec<Arg>,
    /// True when a parameter of the cmdlet was written out (`-Path`).
    named: bool,
}

impl Bound {
    fn value(&self, name: &str) -> Option<&Arg> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &Arg> {
        self.values
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

/// The full name of parameter `written` (lower case, no dash): an alias,
/// an exact name, or the one parameter it is a prefix of.
fn resolve_param(spec: &Cmdlet, written: &str) -> Option<(&'static str, bool)> {
    let alias = spec
        .aliases
        .iter()
        .chain(COMMON_ALIASES)
        .find(|(a, _)| *a == written)
        .map(|(_, full)| *full);
    let lookup = |name: &str| {
        if let Some(v) = spec.values.iter().find(|v| v.eq_ignore_ascii_case(name)) {
            return Some((*v, false));
        }
        spec.switches
            .iter()
            .chain(COMMON_SWITCHES)
            .find(|s| **s == name)
            .map(|s| (*s, true))
    };
    if let Some(found) = lookup(alias.unwrap_or(written)) {
        return Some(found);
    }
    let mut matches = spec
        .values
        .iter()
        .map(|v| (*v, false))
        .chain(spec.switches.iter().map(|s| (*s, true)))
        .chain(COMMON_SWITCHES.iter().map(|s| (*s, true)))
        .filter(|(name, _)| name.to_ascii_lowercase().starts_with(written));
    match (matches.next(), matches.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// A parameter name as written (`-Path`, `-Path:value`): its lower-case
/// name and an attached value.
fn param_word(text: &str) -> Option<(String, Option<&str>)> {
    let body = text.strip_prefix('-')?;
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let (name, attached) = match body.split_once(':') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((name.to_ascii_lowercase(), attached))
}

/// Joins words that make one PowerShell value: a comma list written with
/// spaces (`a.txt, b.txt`), a hashtable or array the shell split
/// (`@{ 'Authorization' = "Bearer $env:TOKEN" }`).
fn take_value<'a>(
    first: &Arg,
    rest: &mut std::iter::Peekable<impl Iterator<Item = &'a Arg>>,
) -> Arg {
    let mut parts = vec![first.clone()];
    loop {
        let text: String = parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let open = text.matches("@{").count() + text.matches("@(").count();
        let close = text.matches('}').count() + text.matches(')').count();
        let unbalanced = open > 0 && close < open;
        let continues =
            text.ends_with(',') || rest.peek().is_some_and(|next| next.text.starts_with(','));
        if !(unbalanced || continues) {
            break;
        }
        match rest.next() {
            Some(next) => parts.push(next.clone()),
            None => break,
        }
    }
    join_args(&parts)
}

fn join_args(parts: &[Arg]) -> Arg {
    let mut joined = Arg::default();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            joined.text.push(' ');
        }
        joined.text.push_str(&part.text);
        for name in &part.env {
            if !joined.env.contains(name) {
                joined.env.push(name.clone());
            }
        }
        flow::merge(&mut joined.prov, &part.prov);
        joined
            .substitutions
            .extend(part.substitutions.iter().cloned());
        joined.dynamic |= part.dynamic;
    }
    joined
}

fn bind(spec: &Cmdlet, args: &[Arg]) -> Bound {
    let mut bound = Bound::default();
    let mut positional = 0usize;
    let mut words = args.iter().peekable();
    while let Some(word) = words.next() {
        if let Some((written, attached)) = param_word(&word.text) {
            let known = resolve_param(spec, &written);
            if known.is_some_and(|(name, _)| !COMMON_SWITCHES.contains(&name)) {
                bound.named = true;
            }
            let (name, switch) = known.unwrap_or_else(|| {
                // An unknown parameter: a value follows unless it is the
                // last word or another parameter.
                let next_is_param = words.peek().is_none_or(|n| param_word(&n.text).is_some());
                ("", next_is_param)
            });
            let name = if name.is_empty() {
                written.clone()
            } else {
                name.to_ascii_lowercase()
            };
            if switch {
                let off = attached.is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "$false" | "false" | "0")
                });
                if !off {
                    bound.switches.push(name);
                }
                continue;
            }
            let value = match attached {
                Some(text) if !text.is_empty() => take_value(&word.with_text(text), &mut words),
                _ => match words.next() {
                    Some(next) => take_value(next, &mut words),
                    None => continue,
                },
            };
            bound.values.push((name, value));
            continue;
        }
        let value = take_value(word, &mut words);
        match spec
            .values
            .get(positional)
            .filter(|_| positional < spec.positional)
        {
            Some(name) => {
                let name = name.to_ascii_lowercase();
                // A parameter already given by name is skipped.
                if bound.value(&name).is_some() {
                    positional += 1;
                    match spec
                        .values
                        .get(positional)
                        .filter(|_| positional < spec.positional)
                    {
                        Some(next) => bound.values.push((next.to_ascii_lowercase(), value)),
                        None => bound.extra.push(value),
                    }
                } else {
                    bound.values.push((name, value));
                }
                positional += 1;
            }
            None => bound.extra.push(value),
        }
    }
    bound
}

/// Items of a PowerShell list value (`a,b`, `'a', 'b'`, `@('a','b')`).
fn list(value: &Arg) -> Vec<String> {
    let text = value.text.trim();
    let text = text
        .strip_prefix("@(")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text);
    text.split(',')
        .map(|item| item.trim().trim_matches(['\'', '"']).trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Environment variables a word names as `$env:NAME` / `${env:NAME}`
/// (as the shell reads it, `$env` is an unset variable).
fn ps_env(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let lower = text.to_ascii_lowercase();
    for marker in ["$env:", "${env:"] {
        let mut from = 0;
        while let Some(at) = lower.get(from..).and_then(|t| t.find(marker)) {
            let start = from + at + marker.len();
            let name: String = text
                .get(start..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
            from = start;
        }
    }
    names
}

/// What a word carries when it is sent: its text, its expansions, and the
/// environment variables it names the PowerShell way.
fn ps_payload(word: &Arg) -> Payload {
    let mut payload = word.payload();
    ps_expansions(word, &mut payload);
    payload
}

/// A word's expansions only (its text is a file name or URL).
fn ps_expansions(word: &Arg, payload: &mut Payload) {
    let named = ps_env(&word.text);
    let mut expansions = word.expansions();
    if !named.is_empty() {
        expansions.env.retain(|name| name != "env");
    }
    payload.env.retain(|name| name != "env" || named.is_empty());
    flow::merge(payload, &expansions);
    for name in named {
        flow::push_env(payload, &name);
    }
}

/// A path value as the walk can resolve it (`$env:USERPROFILE` is home).
fn path_text(text: &str) -> String {
    let text = text.trim().trim_matches(['\'', '"']).replace('\\', "/");
    for marker in [
        "$env:USERPROFILE",
        "$env:HOME",
        "${env:USERPROFILE}",
        "${env:HOME}",
    ] {
        if let Some(rest) = text.strip_prefix(marker) {
            return format!("~{rest}");
        }
    }
    profile_path(&text).unwrap_or(text)
}

/// `$PROFILE` (and `$PROFILE.CurrentUserCurrentHost`, ...): the current
/// user's PowerShell profile script under home, as PowerShell 7 names it
/// (`~/Documents/PowerShell/Microsoft.PowerShell_profile.ps1`); the
/// all-hosts profiles are `profile.ps1` there. The all-users ones live in
/// PowerShell's install folder, outside home.
fn profile_path(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("$profile")?;
    let (property, tail) = match rest.strip_prefix('.') {
        Some(after) => {
            let end = after
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(after.len());
            after.split_at(end)
        }
        None => ("", rest),
    };
    if tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let file = match property {
        "" | "currentusercurrenthost" => "Microsoft.PowerShell_profile.ps1",
        "currentuserallhosts" => "profile.ps1",
        "allusersallhosts" => return Some("$PSHOME/profile.ps1".to_owned()),
        "alluserscurrenthost" => {
            return Some("$PSHOME/Microsoft.PowerShell_profile.ps1".to_owned());
        }
        _ => return None,
    };
    Some(format!(
        "~/Documents/PowerShell/{file}{}",
        text.get(text.len() - tail.len()..).unwrap_or_default()
    ))
}

fn paths_of(inv: &Invocation<'_>, bound: &Bound, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(list)
        .map(|p| inv.path(&path_text(&p)))
        .collect()
}

/// True when the arguments hold a parameter of `spec` written out.
fn looks_like_powershell(spec: &Cmdlet, args: &[Arg]) -> bool {
    args.iter().any(|a| {
        param_word(&a.text).is_some_and(|(name, _)| {
            name.len() > 2
                && resolve_param(spec, &name).is_some()
                && a.text
                    .chars()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_uppercase())
        })
    })
}

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    if let Some(outcome) = settings::handle(inv)
        .or_else(|| blocks::handle(inv))
        .or_else(|| remoting::handle(inv))
        .or_else(|| tasks::handle(inv))
        .or_else(|| pnp::handle(inv))
        .or_else(|| aws_tools::handle(inv))
        .or_else(|| graph::handle(inv))
        .or_else(|| listing(inv))
        .or_else(|| items(inv))
        .or_else(|| probes(inv))
    {
        return Some(outcome);
    }
    if let Some(access) = access_cmdlet(inv.program).or_else(|| grants::access_cmdlet(inv.program))
    {
        return Some(access_change(inv, access));
    }
    let (name, unix) = cmdlet(inv.program)?;
    if name == "inert" {
        return Some(Outcome::default());
    }
    let spec = spec(name)?;
    if unix && !looks_like_powershell(spec, inv.args) {
        return None;
    }
    let bound = bind(spec, inv.args);
    if bound.switch("whatif") && PREVIEWED.contains(&name) {
        return Some(Outcome::default());
    }
    Some(match name {
        "invoke-restmethod" | "invoke-webrequest" => web(inv, name, &bound),
        "send-mailmessage" => mail(inv, &bound),
        "remove-item" => remove(inv, &bound),
        "set-content" | "add-content" | "clear-content" | "out-file" | "new-item" | "export" => {
            write(inv, name, &bound)
        }
        "get-content" | "select-string" => {
            let mut outcome = Outcome::default();
            for path in paths_of(inv, &bound, &["path", "literalpath"]) {
                outcome.read(path, false);
            }
            outcome
        }
        "copy-item" | "move-item" => copy(inv, name == "move-item", &bound),
        "rename-item" => rename(inv, &bound),
        "stop-process" | "stop-service" => stop(inv, &bound),
        "install" => install(inv, &bound),
        "invoke-expression" => expression(inv, &bound),
        "start-process" => start_process(&bound),
        "send-mgusermail" => graph_mail(inv, &bound),
        "compress-archive" => compress_archive(inv, &bound),
        "expand-archive" => {
            let mut outcome = Outcome::default();
            for path in paths_of(inv, &bound, &["path", "literalpath"]) {
                outcome.read(path, false);
            }
            for path in paths_of(inv, &bound, &["destinationpath"]) {
                outcome.write(path, false);
            }
            outcome
        }
        "container-access" | "rm-container-access" => container_access(&bound),
        "start-bitstransfer" | "add-bitsfile" => bits(inv, &bound),
        _ => return None,
    })
}

/// An access cmdlet: one change of the resource per grantee named;
/// none with `-WhatIf`, which only says what it would change.
fn access_change(inv: &Invocation<'_>, access: &AccessCmdlet) -> Outcome {
    let bound = bind(&access.spec, inv.args);
    let mut outcome = Outcome::default();
    if bound.switch("whatif") {
        return outcome;
    }
    // The values of each resource parameter given, in the table's order.
    let mut named: Vec<Vec<String>> = access
        .resource
        .iter()
        .map(|name| bound.all(name).flat_map(list).collect::<Vec<_>>())
        .filter(|values| !values.is_empty())
        .collect();
    // A Graph body names the resource with the parameters' keys.
    if named.is_empty() {
        for body in bound.all("bodyparameter") {
            named.extend(
                access
                    .resource
                    .iter()
                    .map(|key| hashtable_values(&body.text, key))
                    .filter(|values| !values.is_empty()),
            );
        }
    }
    // Each item of the first is a resource (`-MemberOf A,B`); the rest
    // qualify it (a role's scope).
    let qualifiers: Vec<String> = named.iter().skip(1).flatten().cloned().collect();
    let resources: Vec<String> = match named.first() {
        Some(items) if access.paths => items.iter().map(|p| inv.path(&path_text(p))).collect(),
        Some(items) => items
            .iter()
            .map(|item| {
                std::iter::once(access.what)
                    .chain(std::iter::once(item.as_str()))
                    .chain(qualifiers.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
        None => vec![access.what.to_owned()],
    };
    let grantees: Vec<String> = access
        .grantee
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(grantees_of)
        .collect();
    for resource in resources {
        if grantees.is_empty() {
            outcome.effects.push(Effect::GrantAccess {
                resource: Resource::Other { name: resource },
                grantee: None,
            });
            continue;
        }
        for grantee in &grantees {
            outcome.effects.push(Effect::GrantAccess {
                resource: Resource::Other {
                    name: resource.clone(),
                },
                grantee: Some(grantee.clone()),
            });
        }
    }
    outcome
}

/// Who a grantee value names: the items of a list, or the principal of a
/// hashtable or JSON body (`principalId`, `@odata.id`); a directory
/// object's URL is its id.
fn grantees_of(value: &Arg) -> Vec<String> {
    let text = value.text.trim();
    let items = if text.starts_with("@{") || text.starts_with('{') {
        ["principalid", "@odata.id", "directoryobjectid"]
            .iter()
            .flat_map(|key| hashtable_values(text, key))
            .collect()
    } else {
        list(value)
    };
    items
        .into_iter()
        .map(|item| match item.rsplit_once("/directoryObjects/") {
            Some((_, id)) => id.trim_end_matches('/').to_owned(),
            None => item,
        })
        .collect()
}

/// Where the value of `key` in a PowerShell hashtable (`key = value`) or
/// JSON object (`"key": value`) starts and ends in `text`: a quoted
/// string's inside, a bracketed value (`@(...)`, `@{...}`, `[...]`,
/// `{...}`) whole, or a bare word. Keys match without regard to case,
/// quoted or not.
fn hashtable_ranges(text: &str, key: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0usize;
    while let Some(offset) = lower.get(from..).and_then(|t| t.find(key)) {
        let start = from + offset;
        from = start + key.len();
        let before = start
            .checked_sub(1)
            .and_then(|i| bytes.get(i))
            .copied()
            .unwrap_or(b' ');
        if before.is_ascii_alphanumeric() || before == b'_' || before == b'.' {
            continue;
        }
        let mut at = start + key.len();
        if matches!(bytes.get(at), Some(b'"' | b'\'')) {
            at += 1;
        }
        while bytes.get(at).is_some_and(|b| *b == b' ' || *b == b'\t') {
            at += 1;
        }
        if !(matches!(bytes.get(at), Some(b'=' | b':')) && bytes.get(at + 1) != Some(&b'=')) {
            continue;
        }
        at += 1;
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        let end = match bytes.get(at) {
            Some(q @ (b'"' | b'\'')) => {
                let open = at + 1;
                let close = text
                    .get(open..)
                    .and_then(|t| t.find(char::from(*q)))
                    .map_or(text.len(), |i| open + i);
                found.push((open, close));
                continue;
            }
            Some(b'@' | b'[' | b'{' | b'(') => {
                let chars: Vec<char> = text.get(at..).unwrap_or_default().chars().collect();
                let open = usize::from(bytes.get(at) == Some(&b'@'));
                let end: usize = chars
                    .get(..balanced_any(&chars, open))
                    .unwrap_or_default()
                    .iter()
                    .map(|c| c.len_utf8())
                    .sum();
                at + end
            }
            _ => text
                .get(at..)
                .and_then(|t| t.find([';', '}', ',', ']', ')', '\n', ' ']))
                .map_or(text.len(), |i| at + i),
        };
        found.push((at, end));
    }
    found
}

/// The values of `key` in a hashtable or JSON text, without quotes.
fn hashtable_values(text: &str, key: &str) -> Vec<String> {
    hashtable_ranges(text, key)
        .into_iter()
        .filter_map(|(start, end)| text.get(start..end))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Just past the bracket closing the one at `open`, of any kind (`[`
/// too), quotes respected.
fn balanced_any(chars: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut at = open;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(at) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '(' | '[') => depth += 1,
            (None, '}' | ')' | ']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    chars.len()
}

/// Recipient lists of a Graph message.
const RECIPIENT_KEYS: &[&str] = &["torecipients", "ccrecipients", "bccrecipients"];

/// `Send-MgUserMail -UserId U -BodyParameter @{ Message = @{ Subject =
/// ...; ToRecipients = @(@{ EmailAddress = @{ Address = "x@y" } }) } }`
/// (or `-Message`, or the same as JSON): an e-mail to the addresses of
/// its recipient lists, carrying the rest of the message.
fn graph_mail(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let mut recipients: Vec<String> = Vec::new();
    let mut payload = objects::without_items(inv.stdin);
    for value in bound.all("bodyparameter").chain(bound.all("message")) {
        let text = value.text.as_str();
        let mut lists: Vec<(usize, usize)> = RECIPIENT_KEYS
            .iter()
            .flat_map(|key| hashtable_ranges(text, key))
            .collect();
        for (start, end) in &lists {
            let list = text.get(*start..*end).unwrap_or_default();
            for address in hashtable_values(list, "address") {
                if !recipients.contains(&address) {
                    recipients.push(address);
                }
            }
        }
        // The message without its recipient lists is what is sent.
        lists.sort_unstable();
        let mut rest = String::with_capacity(text.len());
        let mut kept = 0usize;
        for (start, end) in lists {
            if start >= kept {
                rest.push_str(text.get(kept..start).unwrap_or_default());
                kept = end;
            }
        }
        rest.push_str(text.get(kept..).unwrap_or_default());
        flow::merge(&mut payload, &ps_payload(&value.with_text(&rest)));
    }
    if !recipients.is_empty() {
        outcome.effects.push(Effect::Message(Message {
            program: "send-mgusermail".to_owned(),
            recipients,
            payload,
        }));
    }
    outcome
}

/// `Compress-Archive [-Path] SRC[,SRC] [-DestinationPath] OUT[.zip]`, or
/// the items piped in (`Get-ChildItem ./data | Compress-Archive
/// -DestinationPath OUT`): the archive holds the sources' trees, as `zip
/// -r OUT SRC` does.
fn compress_archive(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(destination) = bound.value("destinationpath") else {
        return outcome;
    };
    let mut archive = path_text(&destination.text);
    // Compress-Archive adds `.zip` to a name without it.
    if !archive.to_ascii_lowercase().ends_with(".zip") {
        archive.push_str(".zip");
    }
    let archive = inv.path(&archive);
    let mut contents = Payload::default();
    let mut sources: Vec<(String, bool)> = given_items(inv, bound, &["path", "literalpath"])
        .into_iter()
        .map(|(path, _)| (path, true))
        .collect();
    if sources.is_empty() {
        sources = piped_items(inv);
    }
    for (path, tree) in sources {
        outcome.read(path.clone(), tree);
        flow::push_file(
            &mut contents,
            crate::FileRef {
                path,
                recursive: tree,
                excludes: Vec::new(),
            },
        );
    }
    outcome.contents.push((archive.clone(), contents));
    outcome.write(archive, bound.switch("update"));
    outcome
}

/// `Set-AzStorageContainerAcl`/`New-AzStorageContainer -Permission
/// Blob|Container` and `New-`/`Update-AzRmStorageContainer -PublicAccess
/// Blob|Container`: anyone may read the container's blobs.
fn container_access(bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let public = bound
        .value("permission")
        .or(bound.value("publicaccess"))
        .map(|level| level.text.trim_matches(['\'', '"']).to_ascii_lowercase())
        .is_some_and(|level| level == "blob" || level == "container");
    if !public {
        return outcome;
    }
    let container = bound
        .value("name")
        .map(|n| n.text.trim_matches(['\'', '"']).to_owned())
        .unwrap_or_default();
    let account = bound
        .value("storageaccountname")
        .map(|a| a.text.trim_matches(['\'', '"']).to_owned())
        .or_else(|| bound.value("context").and_then(context_account));
    let name = match account {
        Some(account) => format!("https://{account}.blob.core.windows.net/{container}"),
        None => format!("azure storage container {container}"),
    };
    outcome.effects.push(Effect::MakePublic {
        resource: Resource::Other { name },
    });
    outcome
}

/// The storage account a `-Context` value names, when the command that
/// made it is on the line: `New-AzStorageContext -StorageAccountName A`,
/// `(Get-AzStorageAccount -ResourceGroupName RG -Name A).Context`.
fn context_account(context: &Arg) -> Option<String> {
    std::iter::once(&context.text)
        .chain(&context.substitutions)
        .find_map(|text| {
            let words: Vec<&str> = text
                .split_whitespace()
                .map(|w| w.trim_matches(['(', ')', '\'', '"']))
                .collect();
            let getter = words
                .iter()
                .any(|w| w.eq_ignore_ascii_case("get-azstorageaccount"));
            let context = words
                .iter()
                .any(|w| w.eq_ignore_ascii_case("new-azstoragecontext"));
            let flags: &[&str] = match (getter, context) {
                (true, _) => &["-name", "-accountname", "-storageaccountname"],
                (_, true) => &["-storageaccountname", "-accountname"],
                _ => return None,
            };
            words.windows(2).find_map(|pair| match pair {
                [flag, value] if flags.iter().any(|f| flag.eq_ignore_ascii_case(f)) => {
                    Some(value.split(')').next().unwrap_or(value).to_owned())
                }
                _ => None,
            })
        })
}

/// `Invoke-RestMethod` / `Invoke-WebRequest`: a request like curl's.
fn web(inv: &Invocation<'_>, name: &str, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let mut payload = Payload::default();
    let body = bound.value("body");
    let infile = bound.value("infile");
    for value in bound
        .all("body")
        .chain(bound.all("headers"))
        .chain(bound.all("form"))
        .chain(bound.all("token"))
        .chain(bound.all("credential"))
        .chain(bound.all("useragent"))
    {
        flow::merge(&mut payload, &ps_payload(value));
    }
    for file in bound.all("infile") {
        send_file(inv, &mut payload, &path_text(&file.text), false);
        ps_expansions(file, &mut payload);
    }
    for form in bound.all("form") {
        for file in form_files(&form.text) {
            send_file(inv, &mut payload, &path_text(&file), false);
        }
    }
    if let Some(out) = bound.value("outfile") {
        outcome.write(inv.path(&path_text(&out.text)), false);
    }
    let method = match bound.value("method").or(bound.value("custommethod")) {
        Some(m) => m.text.trim_matches(['\'', '"']).to_ascii_uppercase(),
        None if body.is_some() || infile.is_some() => "POST".to_owned(),
        None => "GET".to_owned(),
    };
    let Some(target) = bound.value("uri").or(bound.extra.first()) else {
        return outcome;
    };
    let text = target.text.trim_matches(['\'', '"']);
    let address = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let mut sent = payload;
    if let Some((_, query)) = text.split_once('?') {
        flow::push_text(&mut sent, query.split('#').next().unwrap_or_default());
    }
    ps_expansions(target, &mut sent);
    outcome
        .effects
        .push(request(name, url(&address), &method, sent, false));
    outcome
}

/// The files a `-Form` hashtable uploads: its values that are items
/// (`@{ file = Get-Item F }`, `(Get-ChildItem -Path F)`), which
/// Invoke-WebRequest sends as file parts.
fn form_files(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '(' | ')' | '{' | '}' | '='))
        .filter(|w| !w.is_empty())
        .collect();
    let mut files = Vec::new();
    for (at, word) in words.iter().enumerate() {
        let getter = ["get-item", "gi", "get-childitem", "gci"]
            .iter()
            .any(|g| word.eq_ignore_ascii_case(g));
        if !getter {
            continue;
        }
        for next in words.iter().skip(at + 1) {
            if next.eq_ignore_ascii_case("-path") || next.eq_ignore_ascii_case("-literalpath") {
                continue;
            }
            if !next.starts_with('-') {
                files.push(next.trim_matches(['\'', '"']).to_owned());
            }
            break;
        }
    }
    files
}

/// `Start-BitsTransfer`/`Add-BitsFile`: each source moves to the
/// destination of the same place in the list (or into the one
/// destination, or the working directory). `-TransferType` says which
/// way; without it (`Add-BitsFile`, whose job says) the side that is a
/// URL or share is the remote one. `-CustomHeaders` go with every
/// request, and `-NotifyCmdLine PROGRAM,PARAMS` runs when the job ends.
fn bits(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    use super::windows::{BitsDirection, bits_direction, bits_file, bits_remote};
    let mut outcome = Outcome::default();
    let sources: Vec<String> = bound.all("source").flat_map(list).collect();
    let destinations: Vec<String> = bound.all("destination").flat_map(list).collect();
    let stated = bound
        .value("transfertype")
        .and_then(|t| bits_direction(&t.text));
    let mut sent = Payload::default();
    for value in bound.all("customheaders") {
        flow::merge(&mut sent, &ps_payload(value));
    }
    for value in bound.all("source").chain(bound.all("destination")) {
        ps_expansions(value, &mut sent);
    }
    for (index, source) in sources.iter().enumerate() {
        let destination = match destinations.as_slice() {
            [] => None,
            [only] if sources.len() > 1 => Some(format!(
                "{}/{}",
                path_text(only).trim_end_matches('/'),
                remote_file_name(source)
            )),
            all => all.get(index).map(|d| path_text(d)),
        };
        let direction = stated.unwrap_or_else(|| {
            let remote_destination = destination
                .as_deref()
                .is_some_and(|d| bits_remote(d).is_some());
            if remote_destination && bits_remote(source).is_none() {
                BitsDirection::Upload
            } else {
                BitsDirection::Download
            }
        });
        match direction {
            BitsDirection::Download => {
                let local = destination.unwrap_or_else(|| remote_file_name(source).to_owned());
                bits_file(inv, direction, source, &local, sent.clone(), &mut outcome);
            }
            BitsDirection::Upload => {
                let Some(remote) = destination else {
                    continue;
                };
                bits_file(
                    inv,
                    direction,
                    &remote,
                    &path_text(source),
                    sent.clone(),
                    &mut outcome,
                );
            }
        }
    }
    let notify: Vec<String> = bound.all("notifycmdline").flat_map(list).collect();
    if let Some((program, params)) = notify.split_first() {
        outcome.nested.extend(super::windows::bits_notify_command(
            program,
            params.first().map(String::as_str),
        ));
    }
    outcome
}

/// The file name a download keeps: the last part of the remote name's
/// path.
pub(super) fn remote_file_name(remote: &str) -> &str {
    let path = remote.split(['?', '#']).next().unwrap_or(remote);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let path = path.trim_start_matches(['/', '\\']);
    match path.split_once(['/', '\\']) {
        Some((_, rest)) => rest
            .rsplit(['/', '\\'])
            .find(|name| !name.is_empty())
            .unwrap_or("index.html"),
        None => "index.html",
    }
}

/// `Send-MailMessage -To A,B -Cc C -Subject S -Body B -Attachments F,G`.
fn mail(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let mut payload = objects::without_items(inv.stdin);
    for value in bound.all("subject").chain(bound.all("body")) {
        flow::merge(&mut payload, &ps_payload(value));
    }
    for file in paths_of(inv, bound, &["attachments"]) {
        flow::push_file(
            &mut payload,
            crate::FileRef {
                path: file,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    let recipients: Vec<String> = ["to", "cc", "bcc"]
        .iter()
        .flat_map(|n| bound.all(n))
        .flat_map(list)
        .map(|a| match (a.rfind('<'), a.rfind('>')) {
            (Some(open), Some(close)) if open < close => {
                a.get(open + 1..close).unwrap_or_default().trim().to_owned()
            }
            _ => a,
        })
        .collect();
    if !recipients.is_empty() {
        outcome.effects.push(Effect::Message(Message {
            program: "send-mailmessage".to_owned(),
            recipients,
            payload,
        }));
    }
    outcome
}

fn remove(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let recursive = bound.switch("recurse");
    let mut targets = given_items(inv, bound, &["path", "literalpath"]);
    if targets.is_empty() {
        targets = piped_items(inv);
    }
    for (path, tree) in targets {
        outcome.delete(path, recursive || tree);
    }
    outcome
}

/// `Set-Content`/`Add-Content`/`Clear-Content`/`Out-File`/`New-Item`.
fn write(inv: &Invocation<'_>, name: &str, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let append =
        name == "add-content" || (matches!(name, "out-file" | "export") && bound.switch("append"));
    let names = ["path", "literalpath", "filepath"];
    // A file on a share (`\\host\share\f`) is written at that host.
    let shares: Vec<crate::Target> = names
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(list)
        .filter_map(|p| crate::paths::file_share(&path_text(&p)))
        .collect();
    let mut targets: Vec<String> = if shares.is_empty() {
        paths_of(inv, bound, &names)
    } else {
        names
            .iter()
            .flat_map(|name| bound.all(name))
            .flat_map(list)
            .map(|p| path_text(&p))
            .filter(|p| crate::paths::file_share(p).is_none())
            .map(|p| inv.path(&p))
            .collect()
    };
    if name == "new-item"
        && shares.is_empty()
        && let Some(leaf) = bound.value("name")
    {
        let leaf = path_text(&leaf.text);
        if targets.is_empty() {
            targets.push(inv.path(&leaf));
        } else {
            targets = targets
                .iter()
                .map(|dir| crate::paths::resolve(dir, inv.home, &leaf))
                .collect();
        }
    }
    let mut contents = objects::without_items(inv.stdin);
    for value in bound.all("value").chain(bound.all("inputobject")) {
        flow::merge(&mut contents, &ps_payload(value));
    }
    for path in targets {
        if !append {
            outcome.contents.push((path.clone(), contents.clone()));
        }
        outcome.write(path, append);
    }
    for share in shares {
        outcome.effects.push(request(
            inv.program,
            share,
            "UPLOAD",
            contents.clone(),
            false,
        ));
    }
    outcome
}

/// `Copy-Item`/`Move-Item -Path SRC -Destination DEST`, copied as `cp` and
/// `mv` copy (a destination on a file share, `\\host\share`, is an upload).
fn copy(inv: &Invocation<'_>, moving: bool, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let mut sources: Vec<String> = ["path", "literalpath"]
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(list)
        .map(|p| path_text(&p))
        .collect();
    // The items piped in (`Get-ChildItem ./data | Copy-Item -Destination
    // D`), each with its tree when it was listed with one.
    let mut trees = false;
    if sources.is_empty() {
        for (path, tree) in piped_items(inv) {
            trees |= tree;
            sources.push(path);
        }
    }
    let recursive = bound.switch("recurse") || trees;
    if let Some(remote) = remoting::copy(inv, bound, &sources) {
        return remote;
    }
    let Some(destination) = bound.value("destination") else {
        for source in &sources {
            outcome.read(inv.path(source), recursive);
        }
        return outcome;
    };
    let destination = path_text(&destination.text);
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let copy = super::files::Copy {
        recursive,
        moving,
        into_dir: sources.len() > 1 || destination.ends_with('/'),
    };
    super::files::transfer(inv, &sources, &destination, &copy, &mut outcome);
    outcome
}

/// `Rename-Item -Path P -NewName N`: P moves to N in the same directory.
fn rename(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let (Some(path), Some(new)) = (
        bound.value("path").or(bound.value("literalpath")),
        bound.value("newname"),
    ) else {
        return outcome;
    };
    let from = inv.path(&path_text(&path.text));
    let dir = from
        .rsplit_once('/')
        .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    let to = crate::paths::resolve(dir, inv.home, &path_text(&new.text));
    outcome.delete(from.clone(), false);
    outcome
        .contents
        .push((to.clone(), flow::file_payload(from, true)));
    outcome.write(to, false);
    outcome
}

/// `Get-Process [-Name] N` and `Get-Service [-Name] N`: return the
/// processes or services named, which a cmdlet they are piped or given to
/// (`| Stop-Process`) acts on.
fn listing(inv: &Invocation<'_>) -> Option<Outcome> {
    let service = match inv.program {
        "get-process" | "gps" => false,
        "get-service" | "gsv" => true,
        _ => return None,
    };
    let spec = if service { &STOP_SERVICE } else { &GET_PROCESS };
    let bound = bind(spec, inv.args);
    let found: Vec<objects::Object> = bound
        .all("name")
        .flat_map(list)
        .filter(|name| !name.contains(['*', '?', '$']))
        .map(|name| {
            if service {
                objects::Object::Service { name }
            } else {
                objects::Object::Process { name }
            }
        })
        .collect();
    let mut outcome = Outcome::default();
    if !found.is_empty() {
        outcome.stdout = Some(objects::printed(&found));
    }
    Some(outcome)
}

/// `Test-Connection`, `Test-NetConnection` (`tnc`) and `Resolve-DnsName`:
/// probes and lookups of the hosts they name, read as `nslookup` reads
/// its names (only a name that carries data, `"$secret.x.example"`, is
/// something sent), not as paths.
fn probes(inv: &Invocation<'_>) -> Option<Outcome> {
    if !matches!(
        inv.program,
        "test-connection" | "test-netconnection" | "tnc" | "resolve-dnsname"
    ) {
        return None;
    }
    let mut argv = vec![Arg::literal("nslookup")];
    argv.extend(
        inv.args
            .iter()
            .filter(|a| !a.text.starts_with('-'))
            .cloned(),
    );
    let mut outcome = Outcome::default();
    outcome.nested.push(Nested::Argv {
        argv,
        env: Vec::new(),
        cwd: None,
    });
    Some(outcome)
}

/// `Get-ChildItem [-Path] P [-Filter F] [-Recurse]` and `Get-Item P`:
/// return the files and directories they name, which a cmdlet they are
/// piped to (`| Remove-Item`, `| Compress-Archive`) acts on. A listing of
/// a directory stands for the directory with everything under it (its
/// children, and theirs when they are directories); with a filter, for
/// the names it matches there (`P/F`, or `P/**/F` with `-Recurse`).
fn items(inv: &Invocation<'_>) -> Option<Outcome> {
    let children = match inv.program {
        "get-childitem" | "gci" => true,
        "get-item" | "gi" => false,
        _ => return None,
    };
    let bound = bind(if children { &GET_CHILD_ITEM } else { &GET_ITEM }, inv.args);
    let mut places: Vec<String> = ["path", "literalpath"]
        .iter()
        .flat_map(|name| bound.all(name))
        .flat_map(list)
        .map(|p| path_text(&p))
        .collect();
    if places.is_empty() && children {
        places.push(".".to_owned());
    }
    let recurse = bound.switch("recurse") || bound.value("depth").is_some();
    let patterns: Vec<String> = if children {
        bound
            .all("filter")
            .chain(bound.all("include"))
            .flat_map(list)
            .collect()
    } else {
        Vec::new()
    };
    let tree = !bound.switch("file");
    let mut found = Vec::new();
    for place in &places {
        if patterns.is_empty() {
            found.push(objects::Object::Item {
                path: inv.path(place),
                tree,
            });
            continue;
        }
        let base = place.trim_end_matches('/');
        for pattern in &patterns {
            let text = if recurse {
                format!("{base}/**/{pattern}")
            } else {
                format!("{base}/{pattern}")
            };
            found.push(objects::Object::Item {
                path: inv.path(&text),
                tree,
            });
        }
    }
    let mut outcome = Outcome::default();
    if !found.is_empty() {
        outcome.stdout = Some(objects::printed(&found));
    }
    // What Get-ChildItem prints are the entries of the places it lists.
    let listed = places
        .iter()
        .filter(|p| children && !p.contains(['*', '?', '[', '$']));
    for place in listed {
        outcome.effects.push(Effect::List(crate::Listing {
            dir: inv.path(place),
            recursive: recurse,
            package: false,
        }));
    }
    Some(outcome)
}

/// The files and directories piped in from `Get-ChildItem`/`Get-Item`.
pub(super) fn piped_items(inv: &Invocation<'_>) -> Vec<(String, bool)> {
    objects::items(objects::carried(inv.stdin))
}

/// The paths the parameters `names` give, as `(path, tree)`: a value
/// holding items (`-Path $files`, `-Path (Get-ChildItem ./data)`) stands
/// for them, any other for the path it spells.
fn given_items(inv: &Invocation<'_>, bound: &Bound, names: &[&str]) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    for value in names.iter().flat_map(|name| bound.all(name)) {
        let held = objects::items(objects::in_value(value));
        if held.is_empty() {
            found.extend(list(value).iter().map(|p| (inv.path(&path_text(p)), false)));
        } else {
            found.extend(held);
        }
    }
    found
}

/// `Stop-Process -Name N` / `-Id (Get-Process N).Id`, `Stop-Service N`, or
/// the processes and services piped in (`Get-Process N | Stop-Process`).
fn stop(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let mut names: Vec<String> = bound
        .all("name")
        .chain(bound.all("displayname"))
        .flat_map(list)
        .collect();
    for value in bound.all("id").chain(bound.all("inputobject")) {
        for inner in &value.substitutions {
            let words: Vec<&str> = inner
                .split_whitespace()
                .map(|w| w.trim_matches(['"', '\'', '(', ')']))
                .collect();
            let Some((program, rest)) = words.split_first() else {
                continue;
            };
            if !matches!(
                program.to_ascii_lowercase().as_str(),
                "get-process" | "gps" | "ps" | "pgrep" | "pidof"
            ) {
                continue;
            }
            let named = rest
                .iter()
                .position(|w| w.eq_ignore_ascii_case("-name"))
                .and_then(|at| rest.get(at + 1))
                .or_else(|| rest.iter().find(|w| !w.starts_with('-')));
            if let Some(name) = named {
                names.push((*name).to_owned());
            }
        }
    }
    if names.is_empty() {
        for object in bound
            .all("inputobject")
            .flat_map(objects::in_value)
            .chain(objects::carried(inv.stdin))
        {
            if let objects::Object::Process { name } | objects::Object::Service { name } = object {
                names.push(name);
            }
        }
    }
    for name in names {
        outcome.effects.push(Effect::StopProcess { name });
    }
    outcome
}

/// `Install-Module`/`Install-Package`/`Install-Script`/`Install-PSResource`.
fn install(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let packages: Vec<String> = bound
        .all("name")
        .chain(bound.all("inputobject"))
        .flat_map(list)
        .collect();
    if packages.is_empty() {
        return outcome;
    }
    let registry = bound
        .value("repository")
        .or(bound.value("source"))
        .map(|r| r.text.trim_matches(['\'', '"']).to_owned())
        .filter(|r| !r.eq_ignore_ascii_case("psgallery"));
    let manager = match inv.program {
        "install-package" => "packagemanagement",
        "install-psresource" => "psresourceget",
        _ => "powershellget",
    };
    outcome.effects.push(Effect::PackageInstall(PackageInstall {
        manager: manager.to_owned(),
        packages,
        registry,
    }));
    outcome
}

/// `Invoke-Expression TEXT` / `iex (irm URL)`: the text runs as PowerShell.
fn expression(inv: &Invocation<'_>, bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(code) = bound.value("command") else {
        if inv.has_stdin {
            outcome
                .opaque
                .push(format!("{} runs code from standard input", inv.program));
        }
        return outcome;
    };
    outcome
        .opaque
        .push(format!("{} runs PowerShell: {}", inv.program, code.text));
    if !code.dynamic {
        outcome.nested.push(Nested::Script {
            text: to_bash(code.text.trim_matches(['\'', '"'])),
            what: "Invoke-Expression".to_owned(),
        });
    }
    outcome
}

/// `Start-Process -FilePath PROGRAM -ArgumentList 'ARGS'`: PROGRAM runs
/// with ARGS (a command line, or a list written `'a','b'`); a URL opens
/// in the browser, as cmd's `start URL` (`openers.rs`).
fn start_process(bound: &Bound) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(program) = bound.value("filepath") else {
        return outcome;
    };
    if program.text.contains("://") {
        outcome.nested.push(Nested::Argv {
            argv: vec![Arg::literal("start"), program.clone()],
            env: Vec::new(),
            cwd: None,
        });
        return outcome;
    }
    if program.dynamic {
        return outcome;
    }
    let arguments = bound
        .value("argumentlist")
        .map(argument_line)
        .unwrap_or_default();
    outcome.nested.push(Nested::Script {
        text: format!("{} {arguments}", program.text),
        what: "Start-Process".to_owned(),
    });
    outcome
}

/// The command line `Start-Process -ArgumentList` gives: one string as
/// written, or a list's items joined with spaces, as Start-Process joins
/// them.
fn argument_line(value: &Arg) -> String {
    let items = list(value);
    if items.len() > 1 {
        items.join(" ")
    } else {
        value.text.clone()
    }
}

/// `pwsh`/`powershell`: `-Command TEXT` (or the words after it), `-Command
/// -` (standard input), `-File F` or a `.ps1` script (read),
/// `-EncodedCommand B64` (decoded, then as `-Command`).
pub(crate) fn host(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut words = inv.args.iter().enumerate();
    while let Some((index, word)) = words.next() {
        let lower = word.text.to_ascii_lowercase();
        let rest = inv.args.get(index + 1..).unwrap_or_default();
        let Some(name) = lower.strip_prefix('-').filter(|n| !n.is_empty()) else {
            // The first positional: a script, or (Windows PowerShell's
            // default) a command.
            if positional_script(inv, word) {
                outcome.read(inv.path(&path_text(&word.text)), false);
            } else {
                command(inv, inv.args.get(index..).unwrap_or_default(), &mut outcome);
            }
            return outcome;
        };
        if command_option(name) {
            command(inv, rest, &mut outcome);
            return outcome;
        }
        if encoded_option(name) {
            encoded_command(inv, rest.first(), &mut outcome);
            return outcome;
        }
        if file_option(name) {
            if let Some((_, script)) = words.next() {
                if script.text == "-" {
                    stdin_code(inv, &mut outcome);
                } else {
                    outcome.read(inv.path(&path_text(&script.text)), false);
                }
            }
            return outcome;
        }
        if host_option_takes_value(name) {
            words.next();
        }
    }
    stdin_code(inv, &mut outcome);
    outcome
}

/// The PowerShell text a `pwsh`/`powershell` command line runs as a
/// command, as [`host`] reads it: `-Command` and the words after it (a
/// printed heredoc its text), Windows PowerShell's first positional that is
/// not a script, or the text on standard input (`-Command -`, no
/// arguments). `None` for a script file, an encoded command or no text.
pub(super) fn command_code(inv: &Invocation<'_>) -> Option<String> {
    let joined = |words: &[Arg]| {
        let text = words
            .iter()
            .map(|w| heredoc::printed_body(w).unwrap_or_else(|| w.text.clone()))
            .collect::<Vec<_>>()
            .join(" ");
        (!text.is_empty()).then_some(text)
    };
    let stdin = || (inv.has_stdin && !inv.stdin.text.is_empty()).then(|| inv.stdin.text.join("\n"));
    let mut index = 0usize;
    while let Some(word) = inv.args.get(index) {
        let lower = word.text.to_ascii_lowercase();
        let rest = inv.args.get(index + 1..).unwrap_or_default();
        let Some(name) = lower.strip_prefix('-').filter(|n| !n.is_empty()) else {
            if positional_script(inv, word) {
                return None;
            }
            return joined(inv.args.get(index..).unwrap_or_default());
        };
        if command_option(name) {
            if rest.first().is_some_and(|w| w.text == "-") {
                return stdin();
            }
            return joined(rest);
        }
        if encoded_option(name) {
            return None;
        }
        if file_option(name) {
            return rest.first().filter(|w| w.text == "-").and_then(|_| stdin());
        }
        index += if host_option_takes_value(name) { 2 } else { 1 };
    }
    stdin()
}

/// The script file a `pwsh`/`powershell` command line runs (`-File F`,
/// or a first positional that is a script) and the arguments after it.
pub(super) fn script_file<'a>(inv: &'a Invocation<'_>) -> Option<(&'a Arg, &'a [Arg])> {
    let mut index = 0usize;
    while let Some(word) = inv.args.get(index) {
        let lower = word.text.to_ascii_lowercase();
        let rest = inv.args.get(index + 1..).unwrap_or_default();
        let Some(name) = lower.strip_prefix('-').filter(|n| !n.is_empty()) else {
            return positional_script(inv, word).then_some((word, rest));
        };
        if command_option(name) || encoded_option(name) {
            return None;
        }
        if file_option(name) {
            let (script, after) = rest.split_first()?;
            return (script.text != "-").then_some((script, after));
        }
        index += if host_option_takes_value(name) { 2 } else { 1 };
    }
    None
}

/// Whether the first positional word of a PowerShell command line is a
/// script to run rather than command text: a `.ps1` file, or any single
/// word for `pwsh` (whose default parameter is `-File`).
fn positional_script(inv: &Invocation<'_>, word: &Arg) -> bool {
    word.text.to_ascii_lowercase().ends_with(".ps1")
        || (inv.program == "pwsh" && !word.text.contains(char::is_whitespace))
}

/// `-Command` (`-c`, or a prefix of three letters or more).
fn command_option(name: &str) -> bool {
    name == "c" || (name.len() >= 3 && "command".starts_with(name))
}

/// `-EncodedCommand` (`-e`, `-ec`, or a prefix).
fn encoded_option(name: &str) -> bool {
    matches!(name, "e" | "ec") || (name.len() >= 2 && "encodedcommand".starts_with(name))
}

/// `-File` (`-f`, or a prefix).
fn file_option(name: &str) -> bool {
    name == "f" || (name.len() >= 2 && "file".starts_with(name))
}

/// The PowerShell host's options that take a value.
fn host_option_takes_value(name: &str) -> bool {
    matches!(
        name,
        "ex" | "ep"
            | "executionpolicy"
            | "wd"
            | "workingdirectory"
            | "o"
            | "of"
            | "outputformat"
            | "if"
            | "inputformat"
            | "w"
            | "windowstyle"
            | "config"
            | "configurationname"
            | "v"
            | "version"
            | "psconsolefile"
            | "settings"
            | "settingsfile"
            | "custompipename"
            | "encodedarguments"
            | "ea"
    )
}

/// PowerShell read from standard input.
fn stdin_code(inv: &Invocation<'_>, outcome: &mut Outcome) {
    if !inv.has_stdin {
        return;
    }
    if inv.stdin.files.is_empty() && inv.stdin.env.is_empty() && !inv.stdin.text.is_empty() {
        outcome.nested.push(Nested::Script {
            text: to_bash(&inv.stdin.text.join("\n")),
            what: format!("{} script on stdin", inv.program),
        });
    } else {
        outcome
            .opaque
            .push(format!("{} runs a script from standard input", inv.program));
    }
}

/// `-Command` and the words after it: PowerShell joins them into one
/// command text.
fn command(inv: &Invocation<'_>, rest: &[Arg], outcome: &mut Outcome) {
    if rest.first().is_some_and(|w| w.text == "-") {
        stdin_code(inv, outcome);
        return;
    }
    // A word that prints a heredoc (`"$(cat <<'PS1' ... PS1)"`) is the
    // heredoc's text, known.
    let words: Vec<(String, bool)> = rest
        .iter()
        .map(|w| match heredoc::printed_body(w) {
            Some(body) => (body, false),
            None => (w.text.clone(), w.dynamic),
        })
        .collect();
    let text = words
        .iter()
        .map(|(text, _)| text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        return;
    }
    if words.iter().any(|(_, dynamic)| *dynamic) {
        outcome.opaque.push(format!(
            "{} -Command runs dynamic text: {text}",
            inv.program
        ));
    }
    outcome.nested.push(Nested::Script {
        text: to_bash(&text),
        what: format!("{} -Command", inv.program),
    });
}

/// `-EncodedCommand B64`: B64 is the command text in base64 of its
/// UTF-16LE bytes, run as `-Command TEXT` runs it. Text the line does
/// not fix, or that does not decode, stays opaque.
fn encoded_command(inv: &Invocation<'_>, word: Option<&Arg>, outcome: &mut Outcome) {
    let decoded = word
        .filter(|w| !w.dynamic)
        .and_then(|w| utf16le_base64_text(&w.text));
    match decoded {
        Some(text) => command(inv, &[Arg::literal(&text)], outcome),
        None => outcome
            .opaque
            .push(format!("{} runs an encoded command", inv.program)),
    }
}

/// Base64 of UTF-16LE text (what .NET's `Encoding.Unicode` writes, and
/// `-EncodedCommand` takes), decoded; `None` when it is not that.
fn utf16le_base64_text(text: &str) -> Option<String> {
    let bytes = crate::flow::decode_base64(text.trim_matches(['\'', '"']), false)?;
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units = bytes
        .chunks_exact(2)
        .filter_map(|pair| <[u8; 2]>::try_from(pair).ok())
        .map(u16::from_le_bytes);
    let text = char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let readable =
        !text.trim().is_empty() && text.chars().all(|c| !c.is_control() || c.is_whitespace());
    readable.then(|| text.to_owned())
}

/// PowerShell keywords that begin a statement; the shell would read some
/// of them as its own (`if`, `for`, `function`).
const KEYWORDS: &[&str] = &[
    "if", "elseif", "else", "foreach", "for", "while", "do", "until", "switch", "function",
    "filter", "try", "catch", "finally", "param", "return", "trap", "throw", "begin", "process",
    "end",
];

/// Rewrites PowerShell text into shell text that the bash parser splits
/// into the same statements, with the same words where it matters:
/// `$env:NAME` becomes `${NAME}`; hashtables and arrays (`@{...}`, `@(...)`)
/// become one double-quoted word; `(expr)` in an argument becomes `$(expr)`,
/// and a statement that starts with one (`(iwr $u).Content`) or with a
/// cast (`[pscustomobject]@{...}`) writes its value out; `$x = cmdlet ...`
/// and a value piped on (`$x = @{...} | ConvertTo-Json`) become `x=$(...)`;
/// backtick escapes and line continuations are resolved, and a line
/// break inside a pipeline (after a trailing `|`, before a leading one)
/// is a blank ([`continuation`]); `\` in paths becomes `/`; the `{ ... }`
/// blocks of keywords (`if`, `foreach`, `try`, a `switch`'s clauses, its
/// `default` one too) become shell groups, and a script block given as a value
/// (`ForEach-Object { ... }`, `$b = { ... }`) one single-quoted word
/// holding its PowerShell text, braces and all ([`blocks`]); keywords
/// become `:`; `& cmd` runs `cmd`, and a `.ps1` script called (`&
/// .\x.ps1`, `. .\x.ps1`, `.\x.ps1`) runs as `pwsh -File`; `| Out-Null`
/// and `$null = ...` discard output as `>/dev/null` does, in the same
/// statement.
pub(super) fn to_bash(code: &str) -> String {
    shell_text(&statements::rewrite(code))
}

/// [`to_bash`] after the statement pass.
fn shell_text(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len() + 16);
    let mut at = 0usize;
    let mut command_start = true;
    let mut depth = 0usize;
    // Parenthesis depths at which an assignment's `$(` is still open.
    let mut assignments: Vec<usize> = Vec::new();
    // The keyword that began the current statement, one per parenthesis
    // depth: its `{` opens a group, another statement's `{` a script block.
    let mut keywords: Vec<Option<String>> = vec![None];
    // For each open group, whether it is a `switch`'s body, whose clauses'
    // blocks (`'a' { ... }`) run.
    let mut groups: Vec<bool> = Vec::new();
    // The call operator `&` came just before: a string or variable after
    // it names the command to run.
    let mut called = false;
    // The parenthesis depth at which an expression is being written (an
    // assignment's value, a statement that is a value): there `+` joins
    // its operands into one value (`'https://h/?k=' + $env:T`).
    let mut expression: Option<usize> = None;
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        let call_operand = called && !c.is_whitespace();
        if !c.is_whitespace() {
            called = false;
        }
        if command_start && let Some(script) = script_call_at(&chars, at, call_operand) {
            out.push_str("pwsh -File ");
            at = script;
            command_start = false;
            continue;
        }
        // A statement that starts with a value (`"text" | Out-File x`,
        // `(@{k = 1} | ConvertTo-Json)`) writes that value out.
        if command_start
            && !call_operand
            && (matches!(c, '\'' | '"' | '@' | '$' | '(') || cast_at(&chars, at))
            && !is_assignment(&chars, at)
        {
            out.push_str("echo ");
            expression = Some(depth);
        }
        match c {
            '\'' => {
                let end = closing_single(&chars, at);
                let text: String = chars.get(at..end).unwrap_or_default().iter().collect();
                out.push_str(&text.replace('\\', "/"));
                at = end;
                command_start = false;
                continue;
            }
            '"' => {
                let (text, end) = double_quoted(&chars, at);
                out.push_str(&text);
                at = end;
                command_start = false;
                continue;
            }
            '`' => {
                match next {
                    Some('\n') => out.push(' '),
                    Some('\r') if chars.get(at + 2) == Some(&'\n') => {
                        out.push(' ');
                        at += 1;
                    }
                    Some(x) if x.is_ascii_alphanumeric() => out.push(x),
                    Some(x) => {
                        out.push('\\');
                        out.push(x);
                    }
                    None => {}
                }
                at += 2;
                continue;
            }
            '@' if let Some((text, end)) = here_string(&chars, at) => {
                out.push_str(&text);
                at = end;
                command_start = false;
                continue;
            }
            '@' if matches!(next, Some('{' | '(')) => {
                let end = balanced(&chars, at + 1);
                let inner: String = chars.get(at..end).unwrap_or_default().iter().collect();
                out.push('"');
                out.push_str(&quote_inner(&inner));
                out.push('"');
                at = end;
                command_start = false;
                continue;
            }
            '$' => {
                if let Some((name, len)) = env_reference(&chars, at) {
                    out.push_str(&format!("${{{name}}}"));
                    at += len;
                    command_start = false;
                    continue;
                }
                if next == Some('{') {
                    // `${name}`: a variable, not a script block.
                    let end = balanced(&chars, at + 1);
                    out.extend(chars.get(at..end).unwrap_or_default());
                    at = end;
                    command_start = false;
                    continue;
                }
                let word = word_at(&chars, at + 1);
                if command_start && word.eq_ignore_ascii_case("null") && is_assignment(&chars, at) {
                    // `$null = cmd`: cmd runs, its output discarded.
                    at = skip_assignment(&chars, at);
                    continue;
                }
                if word.eq_ignore_ascii_case("null") {
                    out.push_str("/dev/null");
                    at += 1 + word.len();
                    command_start = false;
                    continue;
                }
                if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false") {
                    // A constant, not a variable the shell would empty.
                    out.push_str(&format!("'${word}'"));
                    at += 1 + word.len();
                    command_start = false;
                    continue;
                }
                if !command_start && whole_word(&chars, at, 1 + word.len()) && !word.is_empty() {
                    // A variable is one value: the shell must not split it.
                    out.push_str(&format!("\"${word}\""));
                    at += 1 + word.len();
                    continue;
                }
                if command_start && !word.is_empty() {
                    let mut after = at + 1 + word.len();
                    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
                        after += 1;
                    }
                    if chars.get(after) == Some(&'=') && chars.get(after + 1) != Some(&'=') {
                        after += 1;
                        while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
                            after += 1;
                        }
                        out.push_str(&word);
                        out.push('=');
                        // A command's value, or a value piped on (`@{...} |
                        // ConvertTo-Json`): the pipeline's output.
                        if chars.get(after).is_some_and(|c| c.is_ascii_alphabetic())
                            || value_pipes_on(&chars, after)
                        {
                            out.push_str("$(");
                            depth += 1;
                            assignments.push(depth);
                        } else {
                            expression = Some(depth);
                        }
                        at = after;
                        command_start = assignments.last() == Some(&depth);
                        continue;
                    }
                }
                out.push('$');
                command_start = false;
            }
            '(' => {
                if !out.ends_with('$') {
                    out.push('$');
                }
                out.push('(');
                depth += 1;
                keywords.push(None);
                command_start = true;
            }
            ')' => {
                close_assignment(&mut out, &mut assignments, &mut depth);
                out.push(')');
                if expression.is_some_and(|d| d >= depth) {
                    expression = None;
                }
                depth = depth.saturating_sub(1);
                if keywords.len() > 1 {
                    keywords.pop();
                }
                command_start = false;
            }
            // A pipeline that goes on with the next line: one statement.
            '\n' if continuation::line_continues(&out, &rest_of_line(&chars, at + 1)) => {
                out.push(' ');
            }
            ';' | '\n' => {
                expression = None;
                close_assignment(&mut out, &mut assignments, &mut depth);
                out.push(c);
                set_keyword(&mut keywords, None);
                command_start = true;
            }
            '|' => {
                if let Some(end) = out_null_at(&chars, at + 1) {
                    out.push_str(" >/dev/null");
                    at = end;
                    continue;
                }
                expression = None;
                out.push(c);
                set_keyword(&mut keywords, None);
                command_start = true;
            }
            // `+` between an expression's operands: one value, joined.
            '+' if expression == Some(depth)
                && !command_start
                && !matches!(next, Some('+' | '=')) =>
            {
                while out.ends_with([' ', '\t']) {
                    out.pop();
                }
                at += 1;
                while chars.get(at).is_some_and(|c| *c == ' ' || *c == '\t') {
                    at += 1;
                }
                continue;
            }
            '{' if !command_start
                && keywords.last().is_some_and(Option::is_none)
                && groups.last() != Some(&true) =>
            {
                // A script block given as a value: one word, its text kept.
                let end = balanced(&chars, at);
                let block: String = chars.get(at..end).unwrap_or_default().iter().collect();
                out.push('\'');
                out.push_str(&block.replace('\'', "'\\''"));
                out.push('\'');
                at = end;
                command_start = false;
                continue;
            }
            '{' => {
                let switch_body = keywords
                    .last()
                    .is_some_and(|k| k.as_deref() == Some("switch"));
                groups.push(switch_body);
                set_keyword(&mut keywords, None);
                separate(&mut out);
                out.push_str("{ ");
                command_start = true;
            }
            '}' => {
                expression = None;
                groups.pop();
                set_keyword(&mut keywords, None);
                close_assignment(&mut out, &mut assignments, &mut depth);
                separate(&mut out);
                out.push('}');
                let mut ahead = at + 1;
                while chars.get(ahead).is_some_and(|c| *c == ' ' || *c == '\t') {
                    ahead += 1;
                }
                if !matches!(chars.get(ahead), None | Some('|' | ')' | ';' | '\n' | '}')) {
                    out.push(';');
                }
                command_start = true;
            }
            '&' if command_start => called = true,
            '&' => {
                out.push(c);
                command_start = true;
            }
            '#' if out.is_empty() || out.ends_with(char::is_whitespace) => {
                while chars.get(at).is_some_and(|c| *c != '\n') {
                    at += 1;
                }
                continue;
            }
            '<' if next == Some('#') => {
                while at < chars.len()
                    && !(chars.get(at) == Some(&'#') && chars.get(at + 1) == Some(&'>'))
                {
                    at += 1;
                }
                at += 2;
                continue;
            }
            '\\' => {
                out.push('/');
                command_start = false;
            }
            c if c.is_whitespace() => out.push(c),
            c if command_start => {
                let word: String = chars
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '%' | '?')
                    })
                    .collect();
                let lower = word.to_ascii_lowercase();
                if word.is_empty() {
                    out.push(c);
                    at += 1;
                } else {
                    if lower == "default" && groups.last() == Some(&true) {
                        // A `switch`'s `default { ... }` clause.
                        out.push(':');
                    } else if KEYWORDS.contains(&lower.as_str()) {
                        set_keyword(&mut keywords, Some(lower.clone()));
                        out.push(':');
                    } else if let Some(full) = alias_name(&lower) {
                        out.push_str(full);
                    } else {
                        out.push_str(&word);
                    }
                    at += word.chars().count();
                }
                command_start = false;
                continue;
            }
            c => {
                out.push(c);
                command_start = false;
            }
        }
        at += 1;
    }
    while assignments.pop().is_some() {
        out.push(')');
    }
    out
}

/// Aliases that are also Unix commands, as their cmdlets: in PowerShell
/// text, `rm -r x` is `Remove-Item -Recurse x`. `Set-Location` and its
/// aliases become the shell's `cd`.
fn alias_name(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "rm" | "rmdir" | "del" | "rd" | "erase" | "ri" => "Remove-Item",
        "cp" | "copy" | "cpi" => "Copy-Item",
        "mv" | "move" | "mi" => "Move-Item",
        "cat" | "type" | "gc" => "Get-Content",
        "kill" | "spps" => "Stop-Process",
        "%" => "ForEach-Object",
        "?" | "where" => "Where-Object",
        "ac" => "Add-Content",
        "ls" | "dir" | "gci" => "Get-ChildItem",
        "echo" | "write" => "Write-Output",
        "ni" => "New-Item",
        "iwr" => "Invoke-WebRequest",
        "irm" => "Invoke-RestMethod",
        "iex" => "Invoke-Expression",
        // The shell's own `cd` moves the walk's working directory.
        "set-location" | "sl" | "chdir" => "cd",
        // The location stack: the shell's own `pushd` and `popd`.
        "push-location" | "pushd" => "pushd",
        "pop-location" | "popd" => "popd",
        _ => return None,
    })
}

/// The text from `at` to the end of its line.
fn rest_of_line(chars: &[char], at: usize) -> String {
    chars
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| **c != '\n')
        .collect()
}

/// Whether a cast starts at `at`: a type in brackets before a value
/// (`[pscustomobject]@{ ... }`, `[bool]$ok`, `[string[]]('a')`), which is
/// that value. A static call (`[IO.File]::Delete(p)`) is no cast.
fn cast_at(chars: &[char], at: usize) -> bool {
    if chars.get(at) != Some(&'[') {
        return false;
    }
    let mut depth = 0usize;
    let mut index = at;
    while let Some(&c) = chars.get(index) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ',' | ' ') => {}
            _ => return false,
        }
        index += 1;
    }
    let mut after = index + 1;
    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
        after += 1;
    }
    match chars.get(after) {
        Some('@' | '$' | '\'' | '"' | '(') => true,
        Some('[') => cast_at(chars, after),
        _ => false,
    }
}

/// Whether `$name =` (not `==`) starts at `at`.
fn is_assignment(chars: &[char], at: usize) -> bool {
    if chars.get(at) != Some(&'$') {
        return false;
    }
    let mut after = at + 1;
    while chars
        .get(after)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':'))
    {
        after += 1;
    }
    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
        after += 1;
    }
    after > at + 1 && chars.get(after) == Some(&'=') && chars.get(after + 1) != Some(&'=')
}

/// Whether the value that starts at `at` is piped on: a `|` (not `||`)
/// outside quotes and brackets before its statement ends (at `;`, a line
/// break the pipeline does not go on past, or a bracket it did not open).
fn value_pipes_on(chars: &[char], at: usize) -> bool {
    // The value starts outside quotes, so the mask can start there.
    let outside = splatting::unquoted(chars.get(at..).unwrap_or_default());
    let mut depth = 0usize;
    let mut line_start = at;
    let mut index = at;
    while let Some(&c) = chars.get(index) {
        if !outside.get(index - at).copied().unwrap_or(false) {
            index += 1;
            continue;
        }
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' if depth == 0 => return false,
            ')' | '}' | ']' => depth -= 1,
            '|' if depth == 0 => {
                let doubled = chars.get(index + 1) == Some(&'|')
                    || (index > 0 && chars.get(index - 1) == Some(&'|'));
                if !doubled {
                    return true;
                }
            }
            ';' if depth == 0 => return false,
            '\n' if depth == 0 => {
                let line: String = chars
                    .get(line_start..index)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                if !continuation::line_continues(&line, &rest_of_line(chars, index + 1)) {
                    return false;
                }
                line_start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    false
}

/// Closes an assignment's `$(` opened at this depth.
fn close_assignment(out: &mut String, assignments: &mut Vec<usize>, depth: &mut usize) {
    if assignments.last() == Some(depth) {
        assignments.pop();
        out.push(')');
        *depth = depth.saturating_sub(1);
    }
}

/// Sets the keyword that began the statement at the current depth.
fn set_keyword(keywords: &mut [Option<String>], keyword: Option<String>) {
    if let Some(last) = keywords.last_mut() {
        *last = keyword;
    }
}

/// The token (a word, or a quoted string) starting at `at`, without its
/// quotes, and just past it.
fn token_at(chars: &[char], at: usize) -> (String, usize) {
    match chars.get(at) {
        Some('\'') => {
            let end = closing_single(chars, at);
            let inner = chars.get(at + 1..end.saturating_sub(1)).unwrap_or_default();
            (inner.iter().collect(), end)
        }
        Some('"') => {
            let mut end = at + 1;
            while chars.get(end).is_some_and(|c| *c != '"') {
                end += 1;
            }
            let inner = chars.get(at + 1..end).unwrap_or_default();
            (inner.iter().collect(), (end + 1).min(chars.len()))
        }
        _ => {
            let mut end = at;
            while chars
                .get(end)
                .is_some_and(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | ')' | '}' | '('))
            {
                end += 1;
            }
            (chars.get(at..end).unwrap_or_default().iter().collect(), end)
        }
    }
}

/// Where the `.ps1` script a statement starting at `at` calls begins:
/// the statement's command is the script's path (`.\x.ps1`, or a quoted
/// one after the call operator, `& "C:\x.ps1"`: a quoted one alone is a
/// value), or a dot-sourced one (`. .\x.ps1`).
fn script_call_at(chars: &[char], at: usize, called: bool) -> Option<usize> {
    let is_script = |text: &str| {
        text.len() > 4
            && text
                .get(text.len() - 4..)
                .is_some_and(|ext| ext.eq_ignore_ascii_case(".ps1"))
    };
    let (token, end) = token_at(chars, at);
    let quoted = matches!(chars.get(at), Some('\'' | '"'));
    if is_script(&token) && (called || !quoted) {
        return Some(at);
    }
    if token != "." {
        return None;
    }
    let mut start = end;
    while chars.get(start).is_some_and(|c| *c == ' ' || *c == '\t') {
        start += 1;
    }
    (start > end && is_script(&token_at(chars, start).0)).then_some(start)
}

/// Just past `Out-Null` when it is the whole command after a `|` at
/// `at` (`... | Out-Null`).
fn out_null_at(chars: &[char], at: usize) -> Option<usize> {
    let mut start = at;
    while chars.get(start).is_some_and(|c| *c == ' ' || *c == '\t') {
        start += 1;
    }
    let (token, end) = token_at(chars, start);
    let mut after = end;
    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
        after += 1;
    }
    let alone = matches!(chars.get(after), None | Some(';' | '\n' | '\r' | '}' | ')'));
    (token.eq_ignore_ascii_case("out-null") && alone).then_some(end)
}

/// Whether the `len` characters at `at` are a whole argument: blanks (or
/// the line's start) before, and a blank or the statement's end after.
fn whole_word(chars: &[char], at: usize, len: usize) -> bool {
    let before = at
        .checked_sub(1)
        .and_then(|b| chars.get(b))
        .is_none_or(|c| c.is_whitespace());
    let after = chars
        .get(at + len)
        .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '|' | ')' | '}'));
    before && after
}

/// Just past the `=` (and the blanks after it) of the assignment at `at`.
fn skip_assignment(chars: &[char], at: usize) -> usize {
    let mut after = at;
    while chars.get(after).is_some_and(|c| *c != '=') {
        after += 1;
    }
    after += 1;
    while chars.get(after).is_some_and(|c| *c == ' ' || *c == '\t') {
        after += 1;
    }
    after
}

/// Ends the statement before a `{` or `}` unless one already ended.
fn separate(out: &mut String) {
    // A newline ends a statement too, and the shell refuses a `;` after
    // one (`cmd\n; }`).
    let last = out.trim_end_matches([' ', '\t', '\r']).chars().last();
    if !matches!(last, None | Some(';' | '|' | '&' | '(' | '\n' | '{')) {
        out.push_str("; ");
    } else if !out.ends_with(' ') && !out.is_empty() {
        out.push(' ');
    }
}

/// Just past the `'` closing the single-quoted string at `start` (`''`
/// inside is a quote, which the shell reads as two adjacent strings).
fn closing_single(chars: &[char], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&c) = chars.get(at) {
        if c == '\'' {
            return at + 1;
        }
        at += 1;
    }
    chars.len()
}

/// The double-quoted string at `start` as shell text, and just past it.
fn double_quoted(chars: &[char], start: usize) -> (String, usize) {
    let mut out = String::from("\"");
    let mut at = start + 1;
    while let Some(&c) = chars.get(at) {
        match c {
            '"' if chars.get(at + 1) == Some(&'"') => {
                out.push_str("\\\"");
                at += 2;
                continue;
            }
            '"' => {
                out.push('"');
                return (out, at + 1);
            }
            '`' => {
                match chars.get(at + 1) {
                    Some('n') => out.push_str("\\n"),
                    Some('t') => out.push_str("\\t"),
                    Some('r') => out.push_str("\\r"),
                    Some(x @ ('"' | '$' | '`')) => {
                        out.push('\\');
                        out.push(*x);
                    }
                    Some(x) => out.push(*x),
                    None => {}
                }
                at += 2;
                continue;
            }
            '$' => {
                if let Some((name, len)) = env_reference(chars, at) {
                    out.push_str(&format!("${{{name}}}"));
                    at += len;
                    continue;
                }
                out.push('$');
            }
            '\\' => out.push('/'),
            c => out.push(c),
        }
        at += 1;
    }
    out.push('"');
    (out, chars.len())
}

/// The here-string at `at` (`@'` or `@"` ending its line, closed by `'@`
/// or `"@` at the start of a line) as one shell word, and just past it:
/// a `@'...'@` one is literal text, a `@"..."@` one expands as a
/// double-quoted string does (its own `"` are text).
fn here_string(chars: &[char], at: usize) -> Option<(String, usize)> {
    let quote = *chars.get(at + 1).filter(|q| matches!(q, '\'' | '"'))?;
    let mut start = at + 2;
    while chars
        .get(start)
        .is_some_and(|c| *c == ' ' || *c == '\t' || *c == '\r')
    {
        start += 1;
    }
    if chars.get(start) != Some(&'\n') {
        return None;
    }
    start += 1;
    let mut line = start;
    let close = loop {
        if chars.get(line) == Some(&quote) && chars.get(line + 1) == Some(&'@') {
            break line;
        }
        let newline = chars.get(line..)?.iter().position(|c| *c == '\n')?;
        line += newline + 1;
    };
    // The text ends before the line break that precedes the closing quote.
    let mut end = close.saturating_sub(1).max(start);
    if end > start && chars.get(end - 1) == Some(&'\r') {
        end -= 1;
    }
    let content = chars.get(start..end).unwrap_or_default();
    let text = if quote == '\'' {
        let literal: String = content.iter().collect();
        format!("'{}'", literal.replace('\'', "'\\''"))
    } else {
        let mut escaped: Vec<char> = vec!['"'];
        for &c in content {
            if c == '"' {
                escaped.push('`');
            }
            escaped.push(c);
        }
        escaped.push('"');
        double_quoted(&escaped, 0).0
    };
    Some((text, close + 2))
}

/// Just past the bracket closing the one at `open` (quotes respected).
fn balanced(chars: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut at = open;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(at) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '(') => depth += 1,
            (None, '}' | ')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    chars.len()
}

/// A hashtable or array's text inside shell double quotes.
fn quote_inner(inner: &str) -> String {
    let chars: Vec<char> = inner.chars().collect();
    let mut out = String::with_capacity(inner.len());
    let mut at = 0usize;
    while let Some(&c) = chars.get(at) {
        match c {
            '$' => {
                if let Some((name, len)) = env_reference(&chars, at) {
                    out.push_str(&format!("${{{name}}}"));
                    at += len;
                    continue;
                }
                let word = word_at(&chars, at + 1);
                if ["true", "false", "null"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(&word))
                {
                    // A constant (`SaveToSentItems = $true`), not a
                    // variable the shell would empty.
                    out.push_str("\\$");
                    out.push_str(&word);
                    at += 1 + word.len();
                    continue;
                }
                // `$(...)` inside runs as a command; `$x` stays a variable.
                out.push('$');
            }
            '(' if is_command_value(&chars, at) => {
                // `key = (Get-Content f -Raw)`: the command runs and its
                // output is the value.
                let end = balanced(&chars, at);
                let code: String = chars
                    .get(at + 1..end.saturating_sub(1))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                out.push_str("$(");
                out.push_str(&shell_text(&code));
                out.push(')');
                at = end;
                continue;
            }
            '"' => out.push_str("\\\""),
            '`' => out.push_str("\\`"),
            '\\' => out.push('/'),
            c => out.push(c),
        }
        at += 1;
    }
    out
}

/// Whether the `(` at `at` in a hashtable or array is a value that runs a
/// command: it follows `=` or `,`, or opens a method's argument
/// (`[Convert]::ToBase64String((Get-Content f -Raw))`), and a command
/// name starts it.
fn is_command_value(chars: &[char], at: usize) -> bool {
    let before = chars
        .get(..at)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|c| !c.is_whitespace());
    let first = chars
        .get(at + 1..)
        .unwrap_or_default()
        .iter()
        .find(|c| !c.is_whitespace());
    matches!(before, Some('=' | ',' | '(')) && first.is_some_and(char::is_ascii_alphabetic)
}

/// `$env:NAME` or `${env:NAME}` at `at`: the name and the length written.
fn env_reference(chars: &[char], at: usize) -> Option<(String, usize)> {
    let rest: String = chars.get(at..at + 6).unwrap_or_default().iter().collect();
    let braced = rest.to_ascii_lowercase().starts_with("${env:");
    let plain = rest.to_ascii_lowercase().starts_with("$env:");
    if !braced && !plain {
        return None;
    }
    let start = at + if braced { 6 } else { 5 };
    let name = word_at(chars, start);
    if name.is_empty() {
        return None;
    }
    let mut len = start - at + name.chars().count();
    if braced {
        if chars.get(at + len) != Some(&'}') {
            return None;
        }
        len += 1;
    }
    let name = match name.to_ascii_uppercase().as_str() {
        "USERPROFILE" | "HOME" => "HOME".to_owned(),
        _ => name,
    };
    Some((name, len))
}
