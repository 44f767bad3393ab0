//! The output model: what a command line does.
//!
//! All paths are absolute and lexically normalised (`.`/`..` resolved,
//! `~` and `$HOME` expanded, relative paths joined to the command's working
//! directory as `cd`, `pushd`, `git -C`, `terraform -chdir` set it).

use serde::{Deserialize, Serialize};

/// Everything one command line does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// Effects in the order the commands appear.
    pub effects: Vec<Effect>,
    /// Every program invoked, in order, after unwrapping `sudo`, `env`,
    /// `sh -c` and the like (basename only: `/usr/bin/curl` is `curl`).
    pub programs: Vec<String>,
    /// Parts that could not be seen into: `eval "$x"`, `python -c ...`,
    /// a command name that is itself an expansion. Human-readable text.
    pub opaque: Vec<String>,
    /// Shell text the line runs (`bash -c`, `eval`, `ssh HOST CMD`, a
    /// trap, ...) that does not parse or nests too deeply: what it does is
    /// hidden, so the line is refused as an unparsable line is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<String>,
    /// Repositories the line clones, as `(directory, source URL)`
    /// (`git clone URL DIR`, `gh`/`glab repo clone`).
    pub clones: Vec<(String, String)>,
    /// Remotes the line sets, as `(repository directory, name, URL)`.
    pub remotes: Vec<(String, String, String)>,
    /// The last Kubernetes context the line makes current (`kubectl config
    /// use-context`, `kubectx`, a cloud CLI's get-credentials).
    pub kube_context: Option<String>,
    /// Branches the line checks out, as `(repository directory, branch)`.
    pub branches: Vec<(String, String)>,
    /// Settings the line writes that move pushes, as `(scope, key, value)`
    /// ([`Effect::GitSetting`]), which later steps of the session inherit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_settings: Vec<(String, String, String)>,
    /// Files the line leaves written, with what each holds (nothing known
    /// for one it deleted or filled from elsewhere), which later steps of
    /// the session inherit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub written: Vec<crate::WrittenFile>,
    /// Directories the line lists (`ls`, `dir`, `Get-ChildItem`, `find`,
    /// `tree`), in order: what its output shows are their entries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<Listing>,
}

/// Takes the listings out of a line's effects ([`Effect::List`]), each
/// directory once (recursive when any of its listings is).
pub(crate) fn take_listings(effects: &mut Vec<Effect>) -> Vec<Listing> {
    let mut listings: Vec<Listing> = Vec::new();
    effects.retain(|effect| {
        let Effect::List(listing) = effect else {
            return true;
        };
        match listings.iter_mut().find(|l| l.dir == listing.dir) {
            Some(seen) => seen.recursive |= listing.recursive,
            None => listings.push(listing.clone()),
        }
        false
    });
    listings
}

/// A directory a command lists: its output names the entries in it
/// (`ls -la deploy`, `dir /s deploy`, `Get-ChildItem -Path deploy`, `find
/// deploy -maxdepth 2`, `tree -a deploy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// Absolute normalised path of the directory.
    pub dir: String,
    /// The entries below its subdirectories are listed too (`ls -R`, `dir
    /// /s`, `-Recurse`/`-Depth`, `find` without `-maxdepth 1`, `tree`).
    pub recursive: bool,
    /// The output lists what a package built from `dir` holds (`npm pack
    /// --dry-run`, `cargo package --list`), not the directory's entries:
    /// what publishing that package sends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub package: bool,
}

/// A local file a command reads or sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileRef {
    /// Absolute normalised path.
    pub path: String,
    /// True when the whole tree below `path` is read (`tar`, `zip -r`,
    /// `scp -r`, `rsync -r`/`-a`, `cp -r`, `gsutil cp -r`, `aws s3 sync`).
    pub recursive: bool,
    /// Name patterns left out of a recursive read (`rsync --exclude .env`,
    /// `tar --exclude='*.pem'`, `zip -x '.env'`), as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
}

/// The name in [`Payload::env`] that stands for every variable.
pub const ALL_ENV: &str = "*";

/// What a network effect carries (and what a file written earlier holds:
/// sessions keep it, so it is read back too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Payload {
    /// Literal text sent: request bodies and data arguments, header values,
    /// query strings, credentials in `-u user:pass`, text piped in from
    /// `echo`/`printf`/heredocs. Shell quoting removed; `$VAR` references
    /// are kept as written.
    pub text: Vec<String>,
    /// Local files whose contents are sent (`-d @f`, `-F k=@f`, `-T f`,
    /// `--post-file=f`, `scp f host:`, `cat f | curl ...`, `$(cat f)`, an
    /// archive of `f` that is uploaded, ...).
    pub files: Vec<FileRef>,
    /// Environment variables whose values are sent (`$GITHUB_TOKEN` in a
    /// header, `echo $AWS_SECRET_ACCESS_KEY | nc ...`). Names only;
    /// [`ALL_ENV`] is the whole environment (`env`, `printenv` alone).
    pub env: Vec<String>,
    /// Commands whose output, a credential, is sent (`gh auth token | curl
    /// -d @- ...`, `$(gcloud auth print-access-token)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<Credential>,
    /// The contents of the working directory's git repository (`git
    /// archive`, `git bundle`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repository: bool,
    /// Entries of [`Self::text`] that spell a `$` the shell's quotes kept
    /// as written (a quoted here-document's body, a single-quoted word): a
    /// `$NAME` in them is those characters, not the variable's value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<String>,
}

impl Payload {
    /// True when it carries nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A command whose output is a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    /// The command as written.
    pub command: String,
    /// Domains the credential is minted for, where sending it is how it is
    /// used (`gcloud auth print-access-token`: Google's APIs); empty for a
    /// credential that is secret wherever it goes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<String>,
}

/// Where a network effect goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A URL as written (`https://...`, `s3://bucket/key`, `gs://...`,
    /// `ssh://...`, `git@host:owner/repo.git`).
    Url { url: String },
    /// A host reached without a URL (`scp f user@host:path`, `ssh host`,
    /// `nc host 443`, `rsync f host::module`).
    Host {
        user: Option<String>,
        host: String,
        port: Option<u16>,
        path: Option<String>,
    },
    /// A git remote of the working directory's repository, by name: what a
    /// forge CLI (`gh`, `glab`) acts on when no `--repo` names another
    /// repository (`gh issue create` writes to the repository `origin` is).
    Remote { name: String },
    /// A remote that a data tool keeps in its configuration, of the
    /// repository at `repo_dir` (`dvc push -r NAME`) or of the user (`/`:
    /// rclone's `NAME:path`), under a name no git remote can have
    /// (`dvc:NAME`, `dvc:` its default remote; `rclone:NAME`). Where it
    /// leads is known when the line or an earlier step set it
    /// ([`crate::tool_remote_location`]), `path` below that; otherwise it
    /// goes where `unset` says (rclone's: the name as a host nobody has
    /// vouched for), or names no destination (DVC's).
    ToolRemote {
        repo_dir: String,
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        unset: Option<Box<Target>>,
    },
}

/// A network effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// The program that performs it (`curl`, `wget`, `scp`, `nc`, `gh`, `aws`, ...).
    pub program: String,
    pub target: Target,
    /// Upper-case HTTP method for HTTP(S) requests (`GET`, `POST`, `PUT`,
    /// `DELETE`, ...); `UPLOAD` for file transfers (scp, rsync, `aws s3 cp`
    /// to a bucket, `docker push`, `npm publish`); `DOWNLOAD` for transfers
    /// from a remote; `SEND` for raw sockets (`nc`), `CONNECT` for one
    /// whose input is known to be empty (`< /dev/null`); `LOOKUP` for name
    /// lookups; `EXEC` for `ssh host cmd`.
    pub method: String,
    pub payload: Payload,
    /// The action itself asks for the result to be public: `gh gist create
    /// --public`, `--acl public-read`, `npm publish` (public registry), ...
    pub public: bool,
}

/// One refspec of a push, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefSpec {
    /// Local side (`None` for `:dst`, a delete).
    pub src: Option<String>,
    /// Remote branch name with `refs/heads/` stripped; `None` when the
    /// command does not say (`git push`, `git push origin HEAD`).
    pub dst: Option<String>,
    /// `+src:dst`.
    pub force: bool,
    /// `:dst` or `--delete dst`.
    pub delete: bool,
}

/// `git push`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitPush {
    /// The repository's directory (`git -C`, `cd`).
    pub repo_dir: String,
    /// Remote name or URL as written; `None` for the default remote.
    pub remote: Option<String>,
    pub refspecs: Vec<RefSpec>,
    /// `--force`, `-f`, `--force-with-lease[=...]`, `--force-if-includes`, `--mirror`.
    pub force: bool,
    /// `--all`, `--branches`, `--mirror`: pushes every branch.
    pub all_refs: bool,
    /// `--tags`: pushes every tag; with no refspec, no branch.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tags: bool,
    /// The branch checked out earlier on the same line (`git switch main &&
    /// git push`): what a push with no refspec pushes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The URL the repository was cloned from, when the same command line
    /// cloned it (`git clone URL dir && cd dir && git push ...`): its code
    /// is that repository's, and its `origin` is that URL.
    pub cloned_from: Option<String>,
    /// The line's settings that move this push (`git -c`, `git config`
    /// earlier on the line), when it has some; `remote` is where they send
    /// it as far as the line knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<PushSettings>,
}

/// A push's remote before the line's URL settings, and those settings:
/// the session's settings, and the URL it knows for a name, join them in
/// git's one pass (`resolve_remote`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushSettings {
    /// The remote as written: a name (`origin` when none is) or a URL.
    pub remote: String,
    /// The URL the line gave that name before the push (`git remote add`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `(key, value)` in the order git reads them (the line's `git config`
    /// writes, then the command's `-c`), keys as git compares them
    /// (`url.BASE.pushinsteadof`, `remote.NAME.pushurl`, `remote.NAME.url`).
    pub entries: Vec<(String, String)>,
}

/// A resource whose access is changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resource {
    /// A repository (a GitLab project) on a code host, `owner/name` (GitLab:
    /// `group/sub/name`); `None` for the repository of the working
    /// directory (`gh repo edit` with no argument).
    Repo { host: String, slug: Option<String> },
    /// An S3 or GCS bucket, by name (`s3://b/k` is bucket `b`).
    Bucket { scheme: String, name: String },
    /// An IAM user, role or group.
    Principal { name: String },
    /// Anything else, as written.
    Other { name: String },
}

/// A Kubernetes command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kubectl {
    /// `apply`, `delete`, `scale`, `rollout`, `patch`, `set`, `get`, `diff`, ...;
    /// `deploy` for a deploy tool that applies its manifests (`skaffold run`).
    pub verb: String,
    /// Positional arguments after the verb (`restart deployment/web`, `namespace foo`).
    pub args: Vec<String>,
    /// `--context`.
    pub context: Option<String>,
    /// `-n`/`--namespace`.
    pub namespace: Option<String>,
    /// `-f`/`--filename`, absolute.
    pub files: Vec<String>,
    /// `--dry-run[=client|server]`.
    pub dry_run: bool,
    /// `--all`: every object of the type (`-A`, `--all-namespaces`, only
    /// widens where names and selectors are looked for).
    pub all: bool,
}

/// A Helm command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Helm {
    /// `install`, `upgrade`, `uninstall`, `rollback`, `template`, ...
    pub verb: String,
    /// Release name.
    pub release: Option<String>,
    /// `--kube-context`.
    pub kube_context: Option<String>,
    /// `--dry-run`.
    pub dry_run: bool,
}

/// A Terraform (or OpenTofu) command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Terraform {
    /// `plan`, `apply`, `destroy`, `init`, ...
    pub verb: String,
    /// Absolute directory it runs in (`cd`, `-chdir=`).
    pub dir: String,
    /// A saved plan file given to `apply`.
    pub plan_file: Option<String>,
    /// `-destroy` on plan/apply.
    pub destroy: bool,
}

/// A SQL client invocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sql {
    /// `psql`, `mysql`, `mariadb`, `sqlite3`, ...
    pub client: String,
    /// Server host from `-h`/`--host`, a DSN/URI argument, or `PGHOST`.
    pub host: Option<String>,
    /// The DSN or URI as written, when one was given.
    pub dsn: Option<String>,
    /// SQL text from `-c`/`-e`/`--command`, stdin (`echo ... |`, heredoc,
    /// `<<<`), or a positional query; `None` when not on the command line.
    pub sql: Option<String>,
    /// Script files (`-f`, `< file.sql`), and the files whose rows a
    /// frame writer loads (`read_csv('f').to_sql(...)`): what is sent.
    pub files: Vec<String>,
    /// What the client sends its server to log in, as the line gives it:
    /// a password option's value (`-p"$DB_PASS"`, `--password=...`,
    /// `sqlcmd -P ...`) or a password variable set for it
    /// (`PGPASSWORD=... psql`, `MYSQL_PWD=... mysql`). Credentials in the
    /// connection string are read from `dsn`.
    #[serde(skip_serializing_if = "Payload::is_empty")]
    pub login: Payload,
}

/// A package installation from a registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageInstall {
    /// `npm`, `pnpm`, `yarn`, `pip`, `cargo`, `gem`, `go`, `apt-get`, `brew`, ...
    pub manager: String,
    /// Named packages as written (`left-pad@1.3.0`). Never empty: installs
    /// from a lock or requirements file alone, or from a local path, are not
    /// reported.
    pub packages: Vec<String>,
    /// The registry named instead of the public one (`npm --registry URL`,
    /// `pip --index-url URL`), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
}

/// A command to a database that does not speak SQL (`mongosh`, `redis-cli`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataCommand {
    pub client: String,
    /// Server host from the connection string or `-h`/`--host`.
    pub host: Option<String>,
    /// The command as sent, when it is on the command line.
    pub command: Option<String>,
    /// Files whose contents go to the server: standard input
    /// (`redis-cli -x SET k < f`, `mongosh < f.js`) or a script
    /// (`mongosh --file f.js`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    pub class: DataClass,
    /// What the client sends the server to log in, as the line or a
    /// configuration file written earlier gives it: the password of a
    /// migration runner's connection string (`postgres://u:$PW@host/db`)
    /// or its configuration's password (`password: <%= ENV["PW"] %>`).
    #[serde(skip_serializing_if = "Payload::is_empty")]
    pub login: Payload,
}

/// The strongest thing a database command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    Read,
    /// Changes data or schema.
    Write,
    /// Irreversible destruction of a database, collection or keyspace
    /// (`db.dropDatabase()`, `db.c.drop()`, `deleteMany({})`, `FLUSHALL`).
    Destroy,
    /// Not on the command line (an interactive session or a script file).
    Unknown,
}

/// An e-mail sent from the command line (`mail`, `mutt`, `sendmail`,
/// `msmtp`, `swaks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub program: String,
    /// Recipient addresses (to, cc and bcc) as written; empty when the
    /// command reads them from the message itself and it is not on the
    /// command line (`sendmail -t < file`).
    pub recipients: Vec<String>,
    /// Subject, body and attachments.
    pub payload: Payload,
}

/// A release to a hosted environment (`vercel deploy --prod`, `netlify
/// deploy --prod`, `serverless deploy --stage prod`, `cap production
/// deploy`, `wrangler deploy --env production`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deploy {
    pub program: String,
    /// The environment (stage, stack) as the tool names it; `production`
    /// for a tool's own production flag (`--prod`).
    pub environment: String,
    /// The app or service, when the command names it.
    pub service: Option<String>,
    /// The environment is the tool's own production (`vercel --prod`,
    /// `wrangler deploy` without `--env`), whatever the organisation calls
    /// its production environments.
    pub production: bool,
}

/// A transfer of value that a blockchain CLI signs and broadcasts
/// (`cast send --value`, `solana transfer`, `bitcoin-cli sendtoaddress`,
/// `lncli payinvoice`): a payment to its payees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub program: String,
    /// Who is paid, as written (an address, account, node key or
    /// invoice); empty when the command does not say (`cast publish` of a
    /// signed transaction).
    pub payees: Vec<String>,
    /// How much; `None` when it cannot be read (a token whose decimals are
    /// unknown, `ALL`, an amount in a variable).
    pub amount: Option<Amount>,
    /// The node it is broadcast through (`--rpc-url`, `--url`,
    /// `-rpcconnect`); `None` when the tool's configuration decides.
    pub rpc: Option<Target>,
}

/// An amount of one currency or asset, as the sum of `values`: decimals
/// (`2.5`, `40e0`, `1e-9`) in its major unit (ether, not wei).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// Ticker (`ETH`, `BTC`, `SOL`, `NEAR`, `USDC`).
    pub currency: String,
    pub values: Vec<String>,
}

/// One thing a command does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Reads a local file (`cat`, `head`, `grep PATTERN f`, `< f`, `source`,
    /// `cp f ...`, `tar c f`, and for unknown programs their path-like
    /// arguments).
    Read {
        file: FileRef,
    },
    /// Creates, overwrites, appends to or edits a local file (`>`, `>>`,
    /// `tee`, `cp`/`mv` destination, `touch`, `sed -i`, `dd of=`, `ln`,
    /// `chmod`, `git config --global` writes `~/.gitconfig`, ...).
    /// Writes to `/dev/null`, `/dev/stdout`, `/dev/stderr` and `&N` are not reported.
    Write {
        path: String,
        append: bool,
    },
    /// Removes or moves away a local file or tree (`rm`, `rmdir`, `unlink`,
    /// `shred`, `mv` source, `find ... -delete`).
    Delete {
        path: String,
        recursive: bool,
    },
    /// Removes what lies below `root` under one of the `names` (`find ROOT
    /// -name '*.pyc' -delete`): those entries, never `root` itself.
    DeleteNamed {
        root: String,
        names: Vec<String>,
    },
    /// Sends to or fetches from a network destination.
    Request(Request),
    /// Deletes a remote store (`aws s3 rb`, `aws s3 rm --recursive`, `gsutil rm -r`).
    RemoteDelete {
        target: Target,
        recursive: bool,
    },
    /// `git push`.
    GitPush(GitPush),
    /// `git remote add NAME URL` or `git remote set-url NAME URL`: from now
    /// on `NAME` in the repository at `repo_dir` is `url`. A data tool's
    /// remote (`dvc remote add NAME URL`) is set alike, under its
    /// [`Target::ToolRemote`] name; a directory there is its absolute path.
    GitRemote {
        repo_dir: String,
        name: String,
        url: String,
    },
    /// `git config [--global] KEY VALUE` (or `git remote set-url --push`)
    /// of a setting that moves pushes (`url.BASE.insteadOf`,
    /// `url.BASE.pushInsteadOf`, `remote.NAME.pushurl`): from now on it
    /// holds in the repository at `scope`, everywhere when `scope` is `/`
    /// (the user's or the system's settings). `key` is as git compares it.
    GitSetting {
        scope: String,
        key: String,
        value: String,
    },
    /// `git checkout B`, `git switch [-c] B`: from now on the repository at
    /// `repo_dir` is on branch `branch`; `None` when it is detached or
    /// unknown (`git checkout -`, `git checkout SHA`).
    GitSwitch {
        repo_dir: String,
        branch: Option<String>,
    },
    /// Makes a resource public (`gh repo edit --visibility public`,
    /// `aws s3api put-bucket-acl --acl public-read`, `aws s3 cp --acl
    /// public-read` also reports this, `gsutil acl ch -u AllUsers:R`).
    MakePublic {
        resource: Resource,
    },
    /// Grants or changes someone's access (`gh api .../collaborators/U`,
    /// `aws iam attach-*-policy`/`put-*-policy`/`add-user-to-group`,
    /// `gsutil iam ch`).
    GrantAccess {
        resource: Resource,
        grantee: Option<String>,
    },
    Kubectl(Kubectl),
    Helm(Helm),
    Terraform(Terraform),
    Sql(Sql),
    PackageInstall(PackageInstall),
    Message(Message),
    Deploy(Deploy),
    DataCommand(DataCommand),
    /// A payment signed and broadcast on a blockchain.
    Payment(Payment),
    /// Stops or kills processes by name or service (`pkill NAME`, `killall
    /// NAME`, `systemctl stop NAME`, `kill $(pgrep NAME)`).
    StopProcess {
        name: String,
    },
    /// Lists a directory's entries. Reported in [`Analysis::listings`],
    /// never among an analysis's effects.
    List(Listing),
    /// Makes `path` a symbolic link to `target` (`ln -s TARGET LINK`):
    /// from now on a file effect on `path` or below it is one on `target`
    /// or below it. Both are absolute; `target` is resolved from the
    /// link's own directory. Reported after the [`Effect::Write`] that
    /// creates the link, which is not through it.
    Link {
        path: String,
        target: String,
    },
}
