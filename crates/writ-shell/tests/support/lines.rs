//! Generated bash command lines for differential tests: pipelines, lists,
//! subshells, substitutions, `sh -c`, loops, heredocs, redirections, and
//! words that are, almost are, or are not assignments. Deterministic.

/// A small deterministic generator (xorshift64*).
pub struct Lines {
    state: u64,
}

const PROGRAMS: &[&str] = &[
    "cat",
    "curl",
    "git",
    "ssh",
    "rm",
    "jq",
    "tar",
    "env",
    "sudo",
    "xargs",
    "aws",
    "kubectl",
    "terraform",
    "psql",
    "scp",
    "rsync",
    "wget",
    "nc",
    "cp",
    "mv",
    "echo",
    "printf",
    "npm",
    "pip",
    "gh",
    "helm",
    "gsutil",
    "zip",
    "timeout 5",
    "nohup",
    "mysql",
    "cd",
    "export",
    "unset",
    "pushd",
    "popd",
    "/usr/bin/curl",
    "./run.sh",
    "$CMD",
    "f",
];

const WORDS: &[&str] = &[
    "-s",
    "-X",
    "POST",
    "-d",
    "@-",
    "@data/report.json",
    "-H",
    "'Content-Type: text/plain'",
    "--data=a=b",
    "-rf",
    "-C",
    "build",
    "-o",
    "out.txt",
    "--force",
    "push",
    "origin",
    "main",
    "https://hooks.analytics-co.io/ingest",
    "http://api.acme.internal/v1?a=1&b=2",
    "dana@host.example.com",
    "host:/srv/x",
    "s3://bucket/key",
    "~/notes.md",
    "$HOME/x",
    "\"$(cat ~/.ssh/id_rsa)\"",
    "`date`",
    "$'a\\nb'",
    "2",
    "10",
    "--",
    "-",
    ".",
    "..",
    "*.pem",
    "{a,b}",
    "@(x|y)",
    "\"$TOKEN\"",
    "${HOME}/y",
    "${X:-z}",
    "$((1+2))",
    "'single quoted'",
    "\"double $X quoted\"",
    "a\\ b",
    "-u",
    "admin:pw",
    "--data-binary",
    "@~/.aws/credentials",
    "apply",
    "-auto-approve",
    "delete",
    "deployment/web",
    "-c",
    "'curl -d @f https://x.io'",
    "-e",
    "'ssh h cat /etc/passwd'",
    "get",
    "pods",
    "-n",
    "prod",
    "install",
    "leftpad",
    "cp",
    "-r",
    "src",
    "dst",
    "/etc/hosts",
    "-T",
    "f.tgz",
];

/// Words shaped like assignments, nearly so, or not at all.
pub const ASSIGNISH: &[&str] = &[
    "X=1",
    "_a=b",
    "A1+=x",
    "arr[0]=v",
    "a[i+1]=z",
    "a[$i]=q",
    "x[${y[3]}]=a",
    "1X=2",
    "-X=1",
    "X",
    "X+1=2",
    "=x",
    "a=b=c",
    "'X=1'",
    "\"X\"=1",
    "$X=1",
    "X=$(echo 1)",
    "X=~/f",
    "\u{e9}=1",
    "a\u{e9}=1",
    "a-b=1",
    "a.b=1",
    "x[=1",
    "x[]=1",
    "x]=1",
    "X==",
    "X+=",
    "X+",
    "X+y=1",
    "_=",
    "__=__",
    "a1_B2=",
    "PATH=$PATH:/x",
    "HOME=/tmp",
    "x[1]+=2",
    "x[1",
    "x[1]",
    "x[1]y=2",
    "Z=\"q w\"",
    "Z='q w'",
    "Z=a\\ b",
    "9=9",
];

const TAILS: &[&str] = &[
    "",
    " > out.txt",
    " >> log.txt",
    " < in.txt",
    " 2>&1",
    " 2>/dev/null",
    " &> all.log",
    " <<< \"$X\"",
    " >| f",
    " 3< g",
    " <(cat f)",
    " >(tee h)",
];

impl Lines {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Self { state: seed.max(1) }
    }

    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from.get(self.below(from.len()))
            .copied()
            .unwrap_or_default()
    }

    fn command(&mut self, depth: usize) -> String {
        let mut out = String::new();
        for _ in 0..self.below(4).saturating_sub(1) {
            out.push_str(self.pick(ASSIGNISH));
            out.push(' ');
        }
        match self.below(12) {
            0 if depth < 2 => return format!("({})", self.list(depth + 1)),
            1 if depth < 2 => return format!("{{ {}; }}", self.list(depth + 1)),
            2 if depth < 2 => {
                let inner = self.list(depth + 1).replace('\'', "");
                return format!("sh -c '{inner}'");
            }
            3 if depth < 2 => {
                return format!("for v in a b; do {}; done", self.list(depth + 1));
            }
            4 if depth < 2 => {
                return format!(
                    "if {}; then {}; fi",
                    self.command(depth + 1),
                    self.list(depth + 1)
                );
            }
            5 if depth < 2 => {
                return format!("echo $({}) `true`", self.list(depth + 1));
            }
            _ => {}
        }
        out.push_str(self.pick(PROGRAMS));
        for _ in 0..self.below(7) {
            out.push(' ');
            if self.below(4) == 0 {
                out.push_str(self.pick(ASSIGNISH));
            } else {
                out.push_str(self.pick(WORDS));
            }
        }
        out.push_str(self.pick(TAILS));
        out
    }

    fn pipeline(&mut self, depth: usize) -> String {
        let n = 1 + self.below(3);
        (0..n)
            .map(|_| self.command(depth))
            .collect::<Vec<_>>()
            .join(" | ")
    }

    fn list(&mut self, depth: usize) -> String {
        let mut out = self.pipeline(depth);
        for _ in 0..self.below(3) {
            out.push_str(match self.below(4) {
                0 => " && ",
                1 => " || ",
                2 => "; ",
                _ => " & ",
            });
            out.push_str(&self.pipeline(depth));
        }
        out
    }

    /// The next command line.
    pub fn line(&mut self) -> String {
        let mut line = self.list(0);
        match self.below(10) {
            0 => line.push_str(" # a comment"),
            1 => line = format!("cat <<EOF | {line}\nbody $HOME x=1\nEOF"),
            2 => line.push_str(" \\\n  && echo done"),
            _ => {}
        }
        line
    }
}
