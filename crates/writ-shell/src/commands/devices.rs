//! Android's device tools, `adb` and `fastboot`, by where the device they
//! talk to is.
//!
//! A device on USB, an emulator or one behind a loopback address is this
//! machine's: pushing to it, installing on it or flashing it reads the
//! local files and sends them nowhere on the network, and pulling from it
//! writes the local file. A device on the network is a host: `adb -s
//! HOST:PORT`, `fastboot -s tcp:HOST[:PORT]` (or `udp:`), the
//! `ANDROID_SERIAL` variable holding such a serial, or a device behind an
//! adb server on another host (`adb -H HOST [-P PORT]`). There a push,
//! install, sideload, restore or flash uploads the local files to that
//! host, a pull, backup, bug report or logcat downloads from it, `shell`
//! and `exec-out` run their command on it (a [`Nested::Remote`] job), and
//! the commands that change the device (`reboot`, `uninstall`, `erase`,
//! ...) are requests that change that host.
//!
//! `adb connect HOST[:PORT]` attaches a network device to the adb server,
//! so the commands after it (on the line, or in later steps: the server
//! keeps it) that name no device (or `-e`, the TCP device) reach it: the
//! connection is kept as the tool remote `adb:` ([`Target::ToolRemote`],
//! as `rclone config create` keeps an rclone remote), and with none
//! connected such a command reaches the local device.

use super::{Invocation, Nested, Outcome, request};
use crate::args::{self, Arg, Item, Spec};
use crate::{Effect, FileRef, Payload, Target, flow};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "adb" => Some(adb(inv)),
        "fastboot" => Some(fastboot(inv)),
        _ => None,
    }
}

/// The name under which the network device `adb connect` attached is kept
/// among the remotes set: one no git remote can have. The adb server is
/// the user's, so it serves every directory (`/`).
const ADB_CONNECTED: &str = "adb:";

/// adb's default port for a network device.
const ADB_PORT: u16 = 5555;

/// The device a command talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Device {
    /// On this machine: USB, an emulator, a loopback address.
    Local,
    /// On the network, at a known host.
    Network { host: String, port: Option<u16> },
    /// The network device `adb connect` attached, when one is (else the
    /// local device).
    Connected,
}

impl Device {
    /// The target of a request to the device, for the device path `path`
    /// (a push's destination, a pull's source); `None` for a local one.
    fn target(&self, path: Option<&str>) -> Option<Target> {
        let path = path.map(str::to_owned);
        match self {
            Device::Local => None,
            Device::Network { host, port } => Some(Target::Host {
                user: None,
                host: host.clone(),
                port: *port,
                path,
            }),
            Device::Connected => Some(Target::ToolRemote {
                repo_dir: "/".to_owned(),
                name: ADB_CONNECTED.to_owned(),
                path,
                unset: None,
            }),
        }
    }

    /// The hosts a command run on the device runs on, as far as known.
    fn hosts(&self) -> Vec<String> {
        match self {
            Device::Network { host, .. } => vec![host.clone()],
            Device::Local | Device::Connected => Vec::new(),
        }
    }
}

/// `HOST:PORT` (or `[V6]:PORT`) split, with the port when it is a number.
fn host_port(text: &str) -> (String, Option<u16>) {
    if let Some(rest) = text.strip_prefix('[')
        && let Some((host, after)) = rest.split_once(']')
    {
        return (
            host.to_owned(),
            after.strip_prefix(':').and_then(|p| p.parse().ok()),
        );
    }
    match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => (host.to_owned(), port.parse().ok()),
        _ => (text.to_owned(), None),
    }
}

/// A network device at `host`, unless `host` is this machine.
fn network(host: String, port: Option<u16>) -> Device {
    if host.is_empty() || crate::is_loopback_host(&host) {
        Device::Local
    } else {
        Device::Network { host, port }
    }
}

/// The device an adb serial names: `HOST:PORT` is one on the network;
/// `emulator-5554`, a USB serial or an mDNS service name is local.
fn adb_serial(serial: &str) -> Device {
    let (host, port) = host_port(serial);
    if port.is_none() {
        return Device::Local;
    }
    network(host, port)
}

// ------------------------------------------------------------------ adb

/// adb's global options that take a value.
const ADB_GLOBAL_VALUES: &[&str] = &["-s", "-t", "-H", "-P", "-L", "--one-device"];

/// adb's global options and the rest of its words (the command and its
/// arguments).
struct AdbLine<'a> {
    options: Vec<(&'a str, Option<&'a Arg>)>,
    rest: &'a [Arg],
}

fn adb_line(args: &[Arg]) -> AdbLine<'_> {
    let mut options = Vec::new();
    let mut at = 0;
    while let Some(arg) = args.get(at) {
        let text = arg.text.as_str();
        if !text.starts_with('-') || text == "-" {
            break;
        }
        if ADB_GLOBAL_VALUES.contains(&text) {
            options.push((text, args.get(at + 1)));
            at += 2;
        } else {
            options.push((text, None));
            at += 1;
        }
    }
    AdbLine {
        options,
        rest: args.get(at..).unwrap_or_default(),
    }
}

impl AdbLine<'_> {
    fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.map(|a| a.text.as_str()))
    }

    fn has(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| *n == name)
    }

    /// The device the command reaches: through a server on another host
    /// (`-H`), else `-s` (or `--one-device`), `-d` (USB), `-e` (the TCP
    /// device), `ANDROID_SERIAL`, else whichever is attached.
    fn device(&self, inv: &Invocation<'_>) -> Device {
        if let Some(server) = self.value("-H") {
            let port = self.value("-P").and_then(|p| p.parse().ok());
            if let Device::Network { host, .. } = network(server.to_owned(), None) {
                return Device::Network { host, port };
            }
        }
        if let Some(serial) = self.value("-s").or_else(|| self.value("--one-device")) {
            return adb_serial(serial);
        }
        if self.has("-d") {
            return Device::Local;
        }
        if self.has("-e") {
            return Device::Connected;
        }
        match inv.env_value("ANDROID_SERIAL") {
            Some(serial) if !serial.text.is_empty() => adb_serial(&serial.text),
            _ => Device::Connected,
        }
    }
}

/// `adb [GLOBAL] COMMAND [ARGS]` (module docs).
fn adb(inv: &Invocation<'_>) -> Outcome {
    let line = adb_line(inv.args);
    let mut outcome = Outcome::default();
    let Some((command, rest)) = line.rest.split_first() else {
        return outcome;
    };
    let device = line.device(inv);
    let ctx = AdbCommand {
        inv,
        device: &device,
        rest,
    };
    match command.text.as_str() {
        "connect" => connect(rest, &mut outcome),
        "pair" => pair(rest, &mut outcome),
        "push" => ctx.push(&mut outcome),
        "pull" => ctx.pull(&mut outcome),
        "install" | "install-multiple" | "install-multi-package" => ctx.install(&mut outcome),
        "sideload" | "restore" => ctx.upload_operands(&Spec::default(), &mut outcome),
        "shell" | "exec-out" => ctx.shell(command.text == "shell", &mut outcome),
        "backup" => ctx.backup(&mut outcome),
        "bugreport" => ctx.bugreport(&mut outcome),
        "logcat" | "jdwp" | "track-jdwp" => ctx.download(&mut outcome),
        "keygen" => {
            if let Some(file) = rest.first() {
                outcome.write(inv.path(&file.text), false);
                outcome.write(inv.path(&format!("{}.pub", file.text)), false);
            }
        }
        "reverse" => ctx.reverse(&mut outcome),
        // The server's own commands, and ones that change nothing on a device.
        "devices" | "get-state" | "get-serialno" | "get-devpath" | "version" | "help"
        | "start-server" | "kill-server" | "reconnect" | "disconnect" | "features"
        | "host-features" | "mdns" | "forward" | "attach" | "detach" | "emu"
        | "wait-for-device" => {}
        text if text.starts_with("wait-for-") => {}
        _ => ctx.change(&command.text, &mut outcome),
    }
    outcome
}

/// One adb device command: the invocation, its device and its arguments.
struct AdbCommand<'a> {
    inv: &'a Invocation<'a>,
    device: &'a Device,
    rest: &'a [Arg],
}

/// `adb push`'s and `pull`'s options that take a value (`-z ALGORITHM`).
const ADB_SYNC: Spec<'static> = Spec {
    short: "z",
    long: &[],
    stop_after: None,
};

impl AdbCommand<'_> {
    /// `push [--sync] [-n] [-z ALGO] [-Z] LOCAL... REMOTE`: the local files
    /// (directories whole) are read, and uploaded to a network device.
    fn push(&self, out: &mut Outcome) {
        let items = args::parse(self.rest, &ADB_SYNC);
        let operands = args::positionals(&items);
        let Some((remote, locals)) = operands.split_last() else {
            return;
        };
        // `-` is standard input, which the device reads as it is sent.
        let locals: Vec<&Arg> = locals.iter().copied().filter(|l| l.text != "-").collect();
        self.send_files(&locals, Some(&remote.text), true, out);
    }

    /// Reads `locals` (directories whole when `recursive`) and, for a
    /// network device, uploads them to `remote` there.
    fn send_files(
        &self,
        locals: &[&Arg],
        remote: Option<&str>,
        recursive: bool,
        out: &mut Outcome,
    ) {
        let mut payload = Payload::default();
        for local in locals {
            let path = self.inv.path(&local.text);
            out.read(path.clone(), recursive);
            flow::merge(&mut payload, &local.expansions());
            flow::push_file(
                &mut payload,
                FileRef {
                    path,
                    recursive,
                    excludes: Vec::new(),
                },
            );
        }
        if let Some(target) = self.device.target(remote) {
            out.effects
                .push(request(self.inv.program, target, "UPLOAD", payload, false));
        }
    }

    /// `pull [-a] [-z ALGO] [-Z] REMOTE... [LOCAL]`: the local file (the
    /// remote's name in the working directory when none is given) is
    /// written, downloaded from a network device.
    fn pull(&self, out: &mut Outcome) {
        let items = args::parse(self.rest, &ADB_SYNC);
        let operands = args::positionals(&items);
        let (remotes, local) = match operands.as_slice() {
            [] => return,
            [remote] => (vec![*remote], None),
            [remotes @ .., local] => (remotes.to_vec(), Some(local.text.as_str())),
        };
        for remote in &remotes {
            if let Some(target) = self.device.target(Some(&remote.text)) {
                out.effects.push(request(
                    self.inv.program,
                    target,
                    "DOWNLOAD",
                    Payload::default(),
                    false,
                ));
            }
        }
        let written = match (local, remotes.as_slice()) {
            (Some(dir), [remote]) if dir == "." || dir.ends_with('/') => {
                format!("{}/{}", dir.trim_end_matches('/'), base_name(&remote.text))
            }
            (Some(local), _) => local.to_owned(),
            (None, [remote]) => base_name(&remote.text).to_owned(),
            (None, _) => return,
        };
        if written != "-" {
            out.write(self.inv.path(&written), false);
        }
    }

    /// `install [-lrtsdg] [--abi ABI] APK`, `install-multiple APK...`: the
    /// packages are read, and uploaded to a network device.
    fn install(&self, out: &mut Outcome) {
        self.upload_operands(
            &Spec {
                short: "ip",
                long: &[
                    "abi",
                    "user",
                    "install-reason",
                    "originating-uri",
                    "referrer",
                    "install-location",
                ],
                stop_after: None,
            },
            out,
        );
    }

    /// Every operand is a local file read and, for a network device,
    /// uploaded (`sideload OTA.zip`, `restore backup.ab`).
    fn upload_operands(&self, spec: &Spec<'_>, out: &mut Outcome) {
        let items = args::parse(self.rest, spec);
        let files = args::positionals(&items);
        if files.is_empty() {
            return;
        }
        self.send_files(&files, None, false, out);
    }

    /// `shell [-e ESC] [-n] [-T|-t] [-x] [COMMAND...]`, `exec-out COMMAND...`:
    /// the device's shell runs the words joined, from `/`, reading adb's
    /// standard input unless `-n`; with no command it reads its script from
    /// standard input. On a network device the command is sent to it.
    fn shell(&self, takes_options: bool, out: &mut Outcome) {
        let (items, words): (Vec<Item<'_>>, Vec<&Arg>) = if takes_options {
            let items = args::parse(
                self.rest,
                &Spec {
                    short: "e",
                    long: &[],
                    stop_after: Some(1),
                },
            );
            let words = args::positionals(&items);
            (items, words)
        } else {
            (Vec::new(), self.rest.iter().collect())
        };
        let reads_stdin = !args::has(&items, &["-n"]);
        let text = words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(target) = self.device.target(None) {
            let mut payload = Payload::default();
            flow::push_text(&mut payload, &text);
            for word in &words {
                flow::merge(&mut payload, &word.expansions());
            }
            if reads_stdin && self.inv.has_stdin {
                flow::merge(&mut payload, self.inv.stdin);
            }
            out.effects
                .push(request(self.inv.program, target, "EXEC", payload, false));
        }
        let argv = if !text.is_empty() {
            vec![Arg::literal("sh"), Arg::literal("-c"), Arg::literal(&text)]
        } else if reads_stdin && self.inv.has_stdin {
            vec![Arg::literal("sh")]
        } else {
            return;
        };
        out.nested.push(Nested::Remote {
            argv,
            hosts: self.device.hosts(),
            cwd: "/".to_owned(),
            stdin: reads_stdin,
        });
    }

    /// `backup [-f FILE] [-apk|-noapk] [-shared] [-all] [-system] [PKG...]`:
    /// the archive (`backup.ab` unless `-f` names another) is written.
    fn backup(&self, out: &mut Outcome) {
        let mut file = "backup.ab";
        let mut words = self.rest.iter();
        while let Some(word) = words.next() {
            if word.text == "-f"
                && let Some(value) = words.next()
            {
                file = value.text.as_str();
            }
        }
        self.download(out);
        out.write(self.inv.path(file), false);
    }

    /// `bugreport [PATH]`: the report is written to PATH (a directory
    /// keeps the report's own name, which the line does not show).
    fn bugreport(&self, out: &mut Outcome) {
        self.download(out);
        if let Some(path) = self.rest.first().filter(|p| !p.text.ends_with('/')) {
            out.write(self.inv.path(&path.text), false);
        }
    }

    /// What comes from the device is downloaded from a network one.
    fn download(&self, out: &mut Outcome) {
        if let Some(target) = self.device.target(None) {
            out.effects.push(request(
                self.inv.program,
                target,
                "DOWNLOAD",
                Payload::default(),
                false,
            ));
        }
    }

    /// `reverse [--no-rebind] REMOTE LOCAL`: a network device reaches the
    /// local port (`tcp:PORT`) from then on, so what a server on the line
    /// serves there goes to that host.
    fn reverse(&self, out: &mut Outcome) {
        let operands = args::words(self.rest);
        let [_, local] = operands.as_slice() else {
            return;
        };
        let Some(target) = self.device.target(None) else {
            return;
        };
        let mut payload = Payload::default();
        flow::push_text(&mut payload, &operands.join(" "));
        out.effects
            .push(request(self.inv.program, target, "SEND", payload, false));
        if let Some(port) = local.strip_prefix("tcp:").and_then(|p| p.parse().ok()) {
            out.publishes.push(port);
        }
    }

    /// Any other command changes the device (`reboot`, `root`, `remount`,
    /// `uninstall PKG`, `tcpip`, `sync`): a request to a network one
    /// carrying the command.
    fn change(&self, command: &str, out: &mut Outcome) {
        let Some(target) = self.device.target(None) else {
            return;
        };
        let mut payload = Payload::default();
        flow::push_text(&mut payload, command);
        for word in self.rest {
            flow::merge(&mut payload, &word.payload());
        }
        out.effects
            .push(request(self.inv.program, target, "SEND", payload, false));
    }
}

/// The last part of a device path.
fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// `adb connect HOST[:PORT]`: the server attaches the device at HOST, and
/// the commands after it that name no device reach it.
fn connect(rest: &[Arg], out: &mut Outcome) {
    let Some(address) = rest.first() else {
        return;
    };
    let (host, port) = host_port(&address.text);
    let Device::Network { host, port } = network(host, port) else {
        return;
    };
    let port = port.unwrap_or(ADB_PORT);
    out.effects.push(request(
        "adb",
        Target::Host {
            user: None,
            host: host.clone(),
            port: Some(port),
            path: None,
        },
        "CONNECT",
        Payload::default(),
        false,
    ));
    out.effects.push(Effect::GitRemote {
        repo_dir: "/".to_owned(),
        name: ADB_CONNECTED.to_owned(),
        url: format!("adb://{host}:{port}/"),
    });
}

/// `adb pair HOST:PORT [CODE]`: the pairing code goes to that host.
fn pair(rest: &[Arg], out: &mut Outcome) {
    let Some((address, code)) = rest.split_first() else {
        return;
    };
    let (host, port) = host_port(&address.text);
    let Device::Network { host, port } = network(host, port) else {
        return;
    };
    let mut payload = Payload::default();
    for word in code {
        flow::merge(&mut payload, &word.payload());
    }
    out.effects.push(request(
        "adb",
        Target::Host {
            user: None,
            host,
            port,
            path: None,
        },
        "SEND",
        payload,
        false,
    ));
}

// ------------------------------------------------------------- fastboot

/// fastboot's options that take a value when written apart from it.
const FASTBOOT: Spec<'static> = Spec {
    short: "scibnS",
    long: &[
        "slot",
        "dtb",
        "cmdline",
        "base",
        "page-size",
        "kernel-offset",
        "ramdisk-offset",
        "tags-offset",
        "dtb-offset",
        "header-version",
        "os-version",
        "os-patch-level",
        "fs-options",
    ],
    stop_after: None,
};

/// The device a fastboot serial names: `tcp:HOST[:PORT]` and
/// `udp:HOST[:PORT]` are on the network, anything else is on USB.
fn fastboot_serial(serial: &str) -> Device {
    match serial
        .strip_prefix("tcp:")
        .or_else(|| serial.strip_prefix("udp:"))
    {
        Some(address) => {
            let (host, port) = host_port(address);
            network(host, port)
        }
        None => Device::Local,
    }
}

/// `fastboot [-s SERIAL] [OPTIONS] COMMAND [ARGS]`: the images it flashes
/// or boots are read, and uploaded to a device on the network; what it
/// fetches is written; on a network device its other commands change that
/// host.
fn fastboot(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(inv.args, &FASTBOOT);
    let mut outcome = Outcome::default();
    let serial = args::value(&items, &["-s"])
        .map(|s| s.text.clone())
        .or_else(|| inv.env_value("ANDROID_SERIAL").map(|s| s.text.clone()));
    let device = serial.as_deref().map_or(Device::Local, fastboot_serial);
    let operands = args::positionals(&items);
    let Some((command, rest)) = operands.split_first() else {
        return outcome;
    };
    let files: &[&Arg] = match command.text.as_str() {
        // `flash PARTITION [FILE]`, `flash:raw PARTITION KERNEL [RAMDISK]`.
        "flash" | "flash:raw" => rest.get(1..).unwrap_or_default(),
        "update" | "boot" | "stage" => rest,
        "fetch" | "get_staged" => {
            if let Some(file) = rest.last() {
                outcome.write(inv.path(&file.text), false);
            }
            if let Some(target) = device.target(None) {
                outcome.effects.push(request(
                    "fastboot",
                    target,
                    "DOWNLOAD",
                    Payload::default(),
                    false,
                ));
            }
            return outcome;
        }
        "devices" | "getvar" | "help" => return outcome,
        _ => &[],
    };
    let mut payload = Payload::default();
    for file in files {
        let path = inv.path(&file.text);
        outcome.read(path.clone(), false);
        flow::push_file(
            &mut payload,
            FileRef {
                path,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
    if let Some(target) = device.target(None) {
        let method = if files.is_empty() { "SEND" } else { "UPLOAD" };
        flow::push_text(&mut payload, &command.text);
        outcome
            .effects
            .push(request("fastboot", target, method, payload, false));
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_name_their_device() {
        assert_eq!(adb_serial("R5CT20XK9QJ"), Device::Local);
        assert_eq!(adb_serial("emulator-5554"), Device::Local);
        assert_eq!(adb_serial("127.0.0.1:5555"), Device::Local);
        assert_eq!(
            adb_serial("10.0.0.7:5555"),
            Device::Network {
                host: "10.0.0.7".to_owned(),
                port: Some(5555)
            }
        );
        assert_eq!(fastboot_serial("9A281FFAZ004TX"), Device::Local);
        assert_eq!(
            fastboot_serial("tcp:fb.example.net"),
            Device::Network {
                host: "fb.example.net".to_owned(),
                port: None
            }
        );
    }
}
