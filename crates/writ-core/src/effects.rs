//! What an action does, in terms the policy cares about.
//!
//! [`crate::interpret`] turns an envelope into these; [`crate::derive`]
//! gives them ownership, sensitivity and the session's context.

use serde::Serialize;
use writ_shell::FileRef;

/// How data leaves for a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An HTTP request other than GET/HEAD/OPTIONS, or one whose URL carries a payload.
    Http,
    /// A file transfer (scp, rsync, bucket upload, `docker push`, `npm publish`).
    Upload,
    /// A raw socket (`nc`).
    Socket,
    /// A command run on a remote host (`ssh host cmd`).
    RemoteExec,
    /// `git push`.
    GitPush,
    /// A paste, gist or similar public text drop.
    Paste,
    /// An e-mail.
    Email,
    /// A chat message.
    Chat,
    /// A payment or refund.
    Payment,
    /// A deployment.
    Deploy,
    /// A document or resource shared with someone.
    Share,
    /// A database query.
    Query,
}

impl Channel {
    /// Messages, payments, deploys, shares and queries have rules of their
    /// own; every other channel is a generic external write.
    pub fn is_generic(self) -> bool {
        !matches!(
            self,
            Channel::Email
                | Channel::Chat
                | Channel::Payment
                | Channel::Deploy
                | Channel::Share
                | Channel::Query
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Http => "http",
            Channel::Upload => "upload",
            Channel::Socket => "socket",
            Channel::RemoteExec => "remote_exec",
            Channel::GitPush => "git_push",
            Channel::Paste => "paste",
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Payment => "payment",
            Channel::Deploy => "deploy",
            Channel::Share => "share",
            Channel::Query => "query",
        }
    }
}

/// What is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Payload {
    /// Literal text (bodies, arguments, headers, query strings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<String>,
    /// Local files whose contents are sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileRef>,
    /// Environment variables whose values are sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// The contents of the workspace's repository (a push, `git archive`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repository: bool,
    /// Commands whose output, a credential, is sent (`gh auth token`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<writ_shell::Credential>,
    /// Entries of `text` written as they are sent (a quoted here-document,
    /// a single-quoted word, a file tool's content): their `$NAME` are
    /// characters, not values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<String>,
}

/// Where something goes, as written, with how it is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Send {
    pub channel: Channel,
    /// The destination as written: a URL, an address, `user@host:path`, a bucket URI.
    pub target: String,
    /// The action itself makes the result public.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub public: bool,
    pub payload: Payload,
}

/// One thing an action does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// Reads a local file or tree.
    FileRead { path: String, recursive: bool },
    /// Creates, overwrites, appends to, edits or moves into a local file.
    FileWrite { path: String },
    /// Removes or moves away a local file or tree.
    FileDelete { path: String, recursive: bool },
    /// Deletes the entries below `root` with one of the `names` (globs).
    FileDeleteNamed { root: String, names: Vec<String> },
    /// Reads from a network destination; its output is untrusted unless the
    /// destination is the organisation's. A payload (query string) may ride along.
    Fetch { target: String, payload: Payload },
    /// Sends data to a network destination.
    Send(Send),
    /// Deletes a remote store (a bucket, a prefix).
    RemoteDelete { target: String, recursive: bool },
    /// `git push` of the workspace's repository (or another one).
    GitPush {
        /// Remote URL (resolved from a remote name when the deployment knows it).
        remote: String,
        /// Destination branches; `None` when not known.
        branches: Vec<Option<String>>,
        force: bool,
        delete: bool,
    },
    /// Makes a resource public.
    MakePublic { resource: String },
    /// Grants or changes someone's access to a resource.
    GrantAccess {
        resource: String,
        grantee: Option<String>,
    },
    /// A Kubernetes command.
    Kubernetes {
        verb: String,
        args: Vec<String>,
        context: Option<String>,
        files: Vec<String>,
        dry_run: bool,
        all: bool,
    },
    /// A Helm command.
    Helm {
        verb: String,
        release: Option<String>,
        kube_context: Option<String>,
        dry_run: bool,
    },
    /// A Terraform command.
    Terraform {
        verb: String,
        dir: String,
        plan_file: Option<String>,
        destroy: bool,
    },
    /// SQL sent to a database server.
    Sql {
        host: Option<String>,
        sql: Option<String>,
        /// How the server reads the SQL (its comments and escapes).
        dialect: crate::sql::Dialect,
    },
    /// A command sent to a database that does not speak SQL, classified by
    /// the shell analysis (`mongosh`, `redis-cli`).
    DataCommand {
        host: Option<String>,
        class: writ_shell::DataClass,
    },
    /// A deployment.
    Deploy {
        environment: String,
        service: Option<String>,
        /// The tool's own production (`vercel --prod`): a production
        /// deploy wherever the deployment lists production environments.
        production: bool,
    },
    /// A payment or refund; `amount_cents` is `None` when it cannot be read.
    Payment {
        amount_cents: Option<i64>,
        recipient: String,
    },
    /// A named package installed from a public registry.
    PackageInstall {
        manager: String,
        packages: Vec<String>,
    },
    /// Processes or services stopped by name.
    StopProcess { name: String },
}
