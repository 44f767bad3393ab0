//! Disk, partition and filesystem tools: they overwrite the device or
//! image file they are given (`mkfs.xfs /dev/sdc1`, `wipefs -a /dev/sdc`,
//! `parted -s /dev/sdc mklabel gpt`, `cryptsetup luksFormat /dev/sdb`,
//! `zpool create tank mirror sdb sdc`, `pvcreate /dev/sdd`), so that
//! operand is a write, not the read an unknown program's operand is.
//! Where the tool only looks (`parted DEV print`, `fdisk -l`, `wipefs DEV`
//! without `-a`, a dry run), nothing is written.

use super::{Invocation, Outcome, printed_lines};
use crate::args::{self, Arg, Item, Spec};
use crate::{flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let program = inv.program;
    Some(match program {
        "mkfs" => mkfs(inv),
        "mke2fs" => make_filesystem(inv, inv.args, "ext2"),
        "mkdosfs" => make_filesystem(inv, inv.args, "vfat"),
        "mkntfs" => make_filesystem(inv, inv.args, "ntfs"),
        "mkexfatfs" => make_filesystem(inv, inv.args, "exfat"),
        "mkswap" => make_filesystem(inv, inv.args, "swap"),
        "wipefs" => wipefs(inv),
        "parted" => parted(inv),
        "sfdisk" => sfdisk(inv),
        "sgdisk" => sgdisk(inv),
        "fdisk" | "gdisk" => scripted_partitioner(inv),
        // Full-screen editors: run only to change the table.
        "cfdisk" | "cgdisk" => every_operand(inv, &Spec::default()),
        "blkdiscard" => every_operand(
            inv,
            &Spec {
                short: "olp",
                long: &["offset", "length", "step"],
                stop_after: None,
            },
        ),
        "fallocate" => every_operand(
            inv,
            &Spec {
                short: "ol",
                long: &["offset", "length"],
                stop_after: None,
            },
        ),
        "cryptsetup" => cryptsetup(inv),
        "badblocks" => badblocks(inv),
        "zpool" => zpool(inv),
        "pvcreate" | "pvremove" | "vgcreate" | "vgextend" | "vgremove" | "lvcreate"
        | "lvremove" | "lvreduce" | "lvresize" => lvm(inv),
        "mdadm" => mdadm(inv),
        "tune2fs" | "resize2fs" | "e2label" => ext_tools(inv),
        "growpart" => growpart(inv),
        "nvme" | "hdparm" | "sg_format" | "sg_sanitize" => device_erase(inv),
        "ddrescue" => ddrescue(inv),
        "bmaptool" => bmaptool(inv),
        "mksquashfs" => mksquashfs(inv),
        _ => match program.strip_prefix("mkfs.") {
            Some(fs) if !fs.is_empty() => make_filesystem(inv, inv.args, fs),
            _ => return None,
        },
    })
}

/// Writes the device or file `text` names (nothing for `-` or a pseudo
/// device such as `/dev/null`).
fn write_operand(inv: &Invocation<'_>, outcome: &mut Outcome, text: &str) {
    if text.is_empty() || text == "-" {
        return;
    }
    let path = inv.path(text);
    if !paths::is_special_device(&path) {
        outcome.write(path, false);
    }
}

/// Reads the file `text` names (nothing for `-`, standard input).
fn read_operand(inv: &Invocation<'_>, outcome: &mut Outcome, text: &str, recursive: bool) {
    if !text.is_empty() && text != "-" {
        outcome.read(inv.path(text), recursive);
    }
}

/// A size or block count given after a device (`mkfs.ext4 img 256M`,
/// `mkswap /dev/sdb2 1048576`), not a file.
fn is_size(text: &str) -> bool {
    let number = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !number.is_empty()
        && text.len() - number.len() <= 3
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A tool whose every operand is a device or file it writes.
fn every_operand(inv: &Invocation<'_>, spec: &Spec<'_>) -> Outcome {
    let items = args::parse(inv.args, spec);
    let mut outcome = Outcome::default();
    for operand in args::positionals(&items) {
        write_operand(inv, &mut outcome, &operand.text);
    }
    outcome
}

/// How one filesystem's `mkfs` reads its options.
struct Mkfs {
    /// Short options that take a value.
    short: &'static str,
    /// Long options that take a value.
    long: &'static [&'static str],
    /// Options whose value is a tree copied into the new filesystem
    /// (`mke2fs -d DIR`, `mkfs.btrfs --rootdir DIR`): the image holds it.
    populate: &'static [&'static str],
    /// Options whose value is a file read (a bad-block list, a proto file).
    reads: &'static [&'static str],
    /// Options whose value is another file or device written (`mke2fs -z
    /// UNDO`, `mkfs.f2fs -c DEVICE`).
    writes: &'static [&'static str],
    /// Options that only show what would be made (`mke2fs -n`, `mkfs.xfs -N`).
    dry_run: &'static [&'static str],
    /// The first operand is the tree put in the image, the second the image
    /// (`mkfs.cramfs DIR IMAGE`).
    source_first: bool,
}

const NO_NAMES: &[&str] = &[];

/// The option table of `mkfs.TYPE`; `None` for a type writ does not know,
/// whose path-like operands are taken as the devices.
fn mkfs_table(fs: &str) -> Option<Mkfs> {
    let table = |short, long, populate, reads, writes, dry_run| Mkfs {
        short,
        long,
        populate,
        reads,
        writes,
        dry_run,
        source_first: false,
    };
    Some(match fs {
        "ext2" | "ext3" | "ext4" | "ext4dev" => table(
            "bCdeEgGiIJlLmMNoOrtTUz",
            NO_NAMES,
            &["-d"],
            &["-l"],
            &["-z"],
            &["-n"],
        ),
        "xfs" => table(
            "bdilLmnprsc",
            NO_NAMES,
            NO_NAMES,
            &["-p"],
            NO_NAMES,
            &["-N"],
        ),
        "vfat" | "fat" | "msdos" => table(
            "bDfFghilmMnrRsS",
            &["codepage", "offset", "variant"],
            NO_NAMES,
            &["-l", "-m"],
            NO_NAMES,
            NO_NAMES,
        ),
        "btrfs" => table(
            "bdmLnsOrUR",
            &[
                "byte-count",
                "data",
                "metadata",
                "label",
                "nodesize",
                "sectorsize",
                "features",
                "runtime-features",
                "rootdir",
                "uuid",
                "device-uuid",
                "checksum",
                "csum",
                "subvol",
                "compress",
                "inode-flags",
            ],
            &["-r", "--rootdir"],
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
        ),
        "ntfs" => table(
            "cspHSzL",
            &[
                "cluster-size",
                "sector-size",
                "partition-start",
                "heads",
                "sectors-per-track",
                "mft-zone-multiplier",
                "label",
            ],
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
            &["-n", "--no-action"],
        ),
        "exfat" => table(
            "bcLU",
            &[
                "boundary-align",
                "cluster-size",
                "volume-label",
                "volume-guid",
            ],
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
        ),
        "f2fs" => table(
            "acdeEloOCRsTtUwz",
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
            &["-c"],
            NO_NAMES,
        ),
        "swap" => table(
            "pLvUoes",
            &[
                "pagesize",
                "label",
                "swapversion",
                "uuid",
                "offset",
                "endianness",
                "size",
            ],
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
            NO_NAMES,
        ),
        "cramfs" => Mkfs {
            source_first: true,
            ..table("beiNn", NO_NAMES, NO_NAMES, &["-i"], NO_NAMES, NO_NAMES)
        },
        _ => return None,
    })
}

/// `mkfs [-t TYPE] [FS-OPTIONS] DEVICE [SIZE]`: the front end runs
/// `mkfs.TYPE` (ext2 when no type is given) with the other arguments.
fn mkfs(inv: &Invocation<'_>) -> Outcome {
    let mut fs = "ext2".to_owned();
    let mut rest: Vec<Arg> = Vec::with_capacity(inv.args.len());
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        if text == "-t" || text == "--type" {
            if let Some(value) = iter.next() {
                value.text.clone_into(&mut fs);
            }
        } else if let Some(value) = text
            .strip_prefix("--type=")
            .or_else(|| text.strip_prefix("-t").filter(|v| !v.is_empty()))
        {
            value.clone_into(&mut fs);
        } else if text != "-V" && text != "--verbose" {
            rest.push(arg.clone());
        }
    }
    make_filesystem(inv, &rest, &fs)
}

/// `mkfs.TYPE [OPTIONS] DEVICE... [SIZE]`: the devices or image files are
/// overwritten with a new, empty filesystem (one holding the tree a
/// populate option names).
fn make_filesystem(inv: &Invocation<'_>, arguments: &[Arg], fs: &str) -> Outcome {
    let table = mkfs_table(fs);
    let spec = Spec {
        short: table.as_ref().map_or("", |t| t.short),
        long: table.as_ref().map_or(NO_NAMES, |t| t.long),
        stop_after: None,
    };
    let items = args::parse(arguments, &spec);
    let mut outcome = Outcome::default();
    let Some(table) = table else {
        // An unknown filesystem's option values are not known: only
        // operands that look like paths are taken for devices.
        for operand in args::positionals(&items) {
            if paths::looks_like_path(&operand.text) {
                write_operand(inv, &mut outcome, &operand.text);
            }
        }
        return outcome;
    };
    if args::has(&items, table.dry_run) {
        return outcome;
    }
    let mut holds = crate::Payload::default();
    for dir in args::values(&items, table.populate) {
        let path = inv.path(&dir.text);
        outcome.read(path.clone(), true);
        flow::merge(&mut holds, &flow::file_payload(path, true));
    }
    for file in args::values(&items, table.reads) {
        read_operand(inv, &mut outcome, &file.text, false);
    }
    for file in args::values(&items, table.writes) {
        write_operand(inv, &mut outcome, &file.text);
    }
    let mut operands: Vec<&Arg> = args::positionals(&items)
        .into_iter()
        .filter(|a| !is_size(&a.text))
        .collect();
    if table.source_first && operands.len() > 1 {
        let source = operands.remove(0);
        let path = inv.path(&source.text);
        outcome.read(path.clone(), true);
        flow::merge(&mut holds, &flow::file_payload(path, true));
    }
    for device in operands {
        write_operand(inv, &mut outcome, &device.text);
        if !holds.is_empty() {
            outcome
                .contents
                .push((inv.path(&device.text), holds.clone()));
        }
    }
    outcome
}

/// `wipefs -a DEV` and `wipefs -o OFFSET DEV` erase signatures; without
/// either (or with `-n`) it only lists them.
fn wipefs(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "oOt",
            long: &["offset", "output", "types"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-a", "--all", "-o", "--offset"])
        && !args::has(&items, &["-n", "--no-act"])
    {
        for device in args::positionals(&items) {
            write_operand(inv, &mut outcome, &device.text);
        }
    }
    outcome
}

/// parted's commands that change the disk (the others, `print`, `unit`,
/// `help`, `align-check`, `select`, only look).
const PARTED_CHANGES: &[&str] = &[
    "mklabel",
    "mktable",
    "mkpart",
    "mkpartfs",
    "mkfs",
    "rm",
    "resize",
    "resizepart",
    "name",
    "set",
    "toggle",
    "disk_set",
    "disk_toggle",
    "rescue",
    "move",
    "cp",
    "type",
];

/// `parted [OPTIONS] DEVICE [COMMAND...]`: the commands on the line (or,
/// with none, those read from standard input) change the disk when one
/// of them is [`PARTED_CHANGES`].
fn parted(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "a",
            long: &["align"],
            stop_after: Some(1),
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-l", "--list"]) {
        return outcome;
    }
    let operands = args::positionals(&items);
    let Some((device, commands)) = operands.split_first() else {
        return outcome;
    };
    let changes = |word: &str| PARTED_CHANGES.contains(&word.to_ascii_lowercase().as_str());
    let writes = if commands.is_empty() {
        match stdin_lines(inv) {
            Some(lines) => lines
                .iter()
                .any(|line| line.split_whitespace().next().is_some_and(changes)),
            None => inv.has_stdin,
        }
    } else {
        commands.iter().any(|c| changes(&c.text))
    };
    if writes {
        write_operand(inv, &mut outcome, &device.text);
    }
    outcome
}

/// The lines a tool reads commands from on standard input, when the line
/// fixes them (a heredoc, `printf 'n\n...w\n' |`); `None` when standard
/// input is not given or what it carries is not known (a file, a variable,
/// another program's output).
fn stdin_lines(inv: &Invocation<'_>) -> Option<Vec<String>> {
    let stdin = inv.stdin;
    if !inv.has_stdin
        || stdin.text.is_empty()
        || !stdin.files.is_empty()
        || !stdin.env.is_empty()
        || !stdin.credentials.is_empty()
    {
        return None;
    }
    Some(
        stdin
            .text
            .iter()
            .flat_map(|text| {
                printed_lines(text)
                    .lines()
                    .map(|line| line.trim().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect(),
    )
}

/// `fdisk DEV` / `gdisk DEV` take their commands on standard input and
/// write the table at `w`; `-l` only lists. With no input they change
/// nothing; with input the line does not fix, they may.
fn scripted_partitioner(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bCHSwWt",
            long: &[
                "sector-size",
                "cylinders",
                "heads",
                "sectors",
                "wipe",
                "wipe-partitions",
                "type",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-l", "--list", "-x", "--list-details"]) {
        return outcome;
    }
    let writes = match stdin_lines(inv) {
        Some(lines) => lines.iter().any(|line| line == "w"),
        None => inv.has_stdin,
    };
    if writes && let Some(device) = args::positionals(&items).first() {
        write_operand(inv, &mut outcome, &device.text);
    }
    outcome
}

/// `sfdisk DEV` writes the partition table its script (standard input)
/// describes; the listing modes and `-n` do not write, and the
/// `--part-*` and `--activate` options write only when given a value or
/// partition to set.
fn sfdisk(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "NOXYwWu",
            long: &[
                "partno",
                "backup-file",
                "label",
                "label-nested",
                "wipe",
                "wipe-partitions",
                "sector-size",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-O", "--backup-file"]) {
        write_operand(inv, &mut outcome, &file.text);
    }
    let operands = args::positionals(&items);
    let lists = args::has(
        &items,
        &[
            "-l",
            "--list",
            "-F",
            "--list-free",
            "-d",
            "--dump",
            "-J",
            "--json",
            "-s",
            "--show-size",
            "-g",
            "--show-geometry",
            "-V",
            "--verify",
            "-T",
            "--list-types",
            "-n",
            "--no-act",
        ],
    );
    let sets_field = args::has(
        &items,
        &[
            "--part-type",
            "--part-label",
            "--part-uuid",
            "--part-attrs",
            "-c",
            "--id",
            "--change-id",
            "--print-id",
        ],
    );
    let writes = if lists {
        false
    } else if sets_field {
        operands.len() >= 3
    } else if args::has(&items, &["-A", "--activate"]) {
        operands.len() >= 2
    } else {
        true
    };
    if writes && let Some(device) = operands.first() {
        write_operand(inv, &mut outcome, &device.text);
    }
    outcome
}

/// `sgdisk OPTIONS DEV`: the options that change the table (`-Z`, `-o`,
/// `-n`, `-d`, `-t`, ...) write the disk unless `-P` (pretend) is given;
/// `-R DEV2` copies the table onto another disk, `-b FILE` saves it to a
/// file.
fn sgdisk(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "aAbcdhijlmnNrRtTuU",
            long: &[
                "set-alignment",
                "attributes",
                "backup",
                "change-name",
                "delete",
                "hybrid",
                "info",
                "adjust-main-table",
                "load-backup",
                "gpttombr",
                "new",
                "largest-new",
                "transpose",
                "replicate",
                "typecode",
                "transform-bsd",
                "partition-guid",
                "disk-guid",
                "move-main-table",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-b", "--backup"]) {
        write_operand(inv, &mut outcome, &file.text);
    }
    for file in args::values(&items, &["-l", "--load-backup"]) {
        read_operand(inv, &mut outcome, &file.text, false);
    }
    if args::has(&items, &["-P", "--pretend"]) {
        return outcome;
    }
    let changes = items.iter().any(|item| match item {
        Item::Opt { name, value } => match name.as_ref() {
            "-A" | "--attributes" => value.as_ref().is_some_and(|v| {
                !(v.text == "list" || v.text.ends_with(":show") || v.text.contains(":get"))
            }),
            "-c"
            | "--change-name"
            | "-d"
            | "--delete"
            | "-e"
            | "--move-second-header"
            | "-g"
            | "--mbrtogpt"
            | "-G"
            | "--randomize-guids"
            | "-h"
            | "--hybrid"
            | "-j"
            | "--adjust-main-table"
            | "-k"
            | "--move-main-table"
            | "-l"
            | "--load-backup"
            | "-m"
            | "--gpttombr"
            | "-n"
            | "--new"
            | "-N"
            | "--largest-new"
            | "-o"
            | "--clear"
            | "-r"
            | "--transpose"
            | "-s"
            | "--sort"
            | "-t"
            | "--typecode"
            | "-T"
            | "--transform-bsd"
            | "-u"
            | "--partition-guid"
            | "-U"
            | "--disk-guid"
            | "-z"
            | "--zap"
            | "-Z"
            | "--zap-all" => true,
            _ => false,
        },
        Item::Pos(_) => false,
    });
    if changes && let Some(device) = args::positionals(&items).last() {
        write_operand(inv, &mut outcome, &device.text);
    }
    for other in args::values(&items, &["-R", "--replicate"]) {
        write_operand(inv, &mut outcome, &other.text);
    }
    outcome
}

/// cryptsetup's options that take a value.
const CRYPTSETUP_VALUES: &[&str] = &[
    "cipher",
    "hash",
    "key-size",
    "key-file",
    "keyfile-size",
    "keyfile-offset",
    "new-keyfile",
    "new-keyfile-size",
    "new-keyfile-offset",
    "key-slot",
    "new-key-slot",
    "size",
    "offset",
    "skip",
    "iter-time",
    "timeout",
    "tries",
    "type",
    "header",
    "header-backup-file",
    "master-key-file",
    "volume-key-file",
    "pbkdf",
    "pbkdf-memory",
    "pbkdf-parallel",
    "pbkdf-force-iterations",
    "label",
    "subsystem",
    "uuid",
    "sector-size",
    "integrity",
    "luks2-metadata-size",
    "luks2-keyslots-size",
    "token-id",
    "token-type",
    "key-description",
    "keyslot-cipher",
    "keyslot-key-size",
    "resilience",
    "resilience-hash",
    "hotzone-size",
    "reduce-device-size",
    "device-size",
    "data-device",
    "priority",
    "json-file",
    "align-payload",
    "veracrypt-pim",
    "external-tokens-path",
];

/// `cryptsetup ACTION DEVICE ...`: formatting, erasing, re-encrypting and
/// key-slot changes write the device (or its detached `--header` file);
/// `luksHeaderBackup` writes the backup file. Key files are read.
fn cryptsetup(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "chsdlSbopitTMI",
            long: CRYPTSETUP_VALUES,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-d", "--key-file", "--new-keyfile"]) {
        read_operand(inv, &mut outcome, &file.text, false);
    }
    let operands = args::positionals(&items);
    let Some(action) = operands.first() else {
        return outcome;
    };
    let action = action.text.to_ascii_lowercase();
    let text = |at: usize| operands.get(at).map(|a| a.text.as_str());
    let device = match action.as_str() {
        "luksformat" | "erase" | "lukserase" | "reencrypt" | "convert" | "repair"
        | "luksaddkey" | "luksremovekey" | "lukschangekey" | "lukskillslot" | "luksconvertkey"
        | "luksheaderrestore" | "config" => text(1),
        // `token add|remove|import|export DEVICE`.
        "token" => text(2),
        "luksheaderbackup" => {
            for file in args::values(&items, &["--header-backup-file"]) {
                write_operand(inv, &mut outcome, &file.text);
            }
            None
        }
        _ => None,
    };
    let Some(device) = device else {
        return outcome;
    };
    if action == "luksheaderrestore" {
        for file in args::values(&items, &["--header-backup-file"]) {
            read_operand(inv, &mut outcome, &file.text, false);
        }
    }
    // `luksFormat DEV KEYFILE`, `luksAddKey DEV NEWKEYFILE`: the key's file.
    if matches!(
        action.as_str(),
        "luksformat" | "luksaddkey" | "lukschangekey"
    ) && let Some(key) = text(2)
    {
        read_operand(inv, &mut outcome, key, false);
    }
    match args::value(&items, &["--header"]) {
        Some(header) if action != "luksformat" => write_operand(inv, &mut outcome, &header.text),
        Some(header) => {
            write_operand(inv, &mut outcome, &header.text);
            write_operand(inv, &mut outcome, device);
        }
        None => write_operand(inv, &mut outcome, device),
    }
    outcome
}

/// `badblocks [-w|-n] DEVICE [LAST [FIRST]]`: the write tests (`-w`
/// destroys, `-n` writes and restores) write the device; `-o FILE`
/// writes the list of bad blocks, `-i FILE` reads one.
fn badblocks(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "bcdeiopt",
            long: &[],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-i"]) {
        read_operand(inv, &mut outcome, &file.text, false);
    }
    for file in args::values(&items, &["-o"]) {
        write_operand(inv, &mut outcome, &file.text);
    }
    if args::has(&items, &["-w", "-n"])
        && let Some(device) = args::positionals(&items).first()
    {
        write_operand(inv, &mut outcome, &device.text);
    }
    outcome
}

/// The words of a zpool vdev specification that are not devices.
const VDEV_KEYWORDS: &[&str] = &[
    "mirror", "raidz", "raidz1", "raidz2", "raidz3", "spare", "log", "dedup", "special", "cache",
];

/// A zpool vdev: an absolute path, or a name under `/dev` (`sdb`,
/// `disk/by-id/ata-X`), as zpool looks it up.
fn vdev_path(text: &str) -> String {
    if text.starts_with('/') {
        text.to_owned()
    } else {
        format!("/dev/{text}")
    }
}

/// `zpool create|add POOL VDEV...` writes every device of the vdevs
/// (not with `-n`), `attach`/`replace` the new device, `labelclear` the
/// device it clears.
fn zpool(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((sub, rest)) = inv.args.split_first() else {
        return outcome;
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "moORt",
            long: &[],
            stop_after: None,
        },
    );
    let operands = args::positionals(&items);
    let devices: Vec<&Arg> = match sub.text.as_str() {
        "create" | "add" if !args::has(&items, &["-n"]) => operands
            .iter()
            .skip(1)
            .filter(|a| !VDEV_KEYWORDS.contains(&a.text.as_str()) && !a.text.starts_with("draid"))
            .copied()
            .collect(),
        "attach" => operands.get(2).copied().into_iter().collect(),
        "replace" => operands
            .get(2)
            .or_else(|| operands.get(1))
            .copied()
            .into_iter()
            .collect(),
        "labelclear" => operands,
        _ => Vec::new(),
    };
    for device in devices {
        outcome.write(vdev_path(&device.text), false);
    }
    outcome
}

/// LVM's long options that take a value.
const LVM_VALUES: &[&str] = &[
    "config",
    "commandprofile",
    "profile",
    "metadataprofile",
    "reportformat",
    "devices",
    "devicesfile",
    "select",
    "addtag",
    "deltag",
    "metadatatype",
    "uuid",
    "restorefile",
    "setphysicalvolumesize",
    "dataalignment",
    "dataalignmentoffset",
    "bootloaderareasize",
    "metadatacopies",
    "pvmetadatacopies",
    "vgmetadatacopies",
    "metadatasize",
    "labelsector",
    "zero",
    "autobackup",
    "physicalextentsize",
    "maxlogicalvolumes",
    "maxphysicalvolumes",
    "clustered",
    "alloc",
    "systemid",
    "locktype",
    "lockopt",
    "name",
    "size",
    "extents",
    "virtualsize",
    "stripes",
    "stripesize",
    "mirrors",
    "readahead",
    "regionsize",
    "chunksize",
    "permission",
    "persistent",
    "wipesignatures",
    "activate",
    "setactivationskip",
    "setautoactivation",
    "type",
    "thinpool",
    "cachepool",
    "poolmetadatasize",
    "poolmetadataspare",
    "discards",
    "major",
    "minor",
    "cachemode",
    "cachepolicy",
    "cachesettings",
    "vdopool",
    "vdosettings",
    "errorwhenfull",
    "mirrorlog",
    "monitor",
    "contiguous",
    "raidintegrity",
    "raidintegritymode",
    "raidintegrityblocksize",
    "minrecoveryrate",
    "maxrecoveryrate",
    "compression",
    "deduplication",
];

/// A logical volume or volume group as its device path: `vg0/data` is
/// `/dev/vg0/data`, `vg0` is `/dev/vg0` (all its volumes).
fn volume_path(text: &str) -> String {
    if text.starts_with('/') {
        text.to_owned()
    } else {
        format!("/dev/{text}")
    }
}

/// LVM: `pvcreate`/`pvremove` write the physical volumes named,
/// `vgcreate`/`vgextend VG PV...` the volumes they take in (and label),
/// `vgremove VG` every volume of the group, `lvremove`/`lvreduce`/
/// `lvresize` the logical volume, `lvcreate -n NAME VG` the new one
/// (its start is wiped). `-t` (test) writes nothing.
fn lvm(inv: &Invocation<'_>) -> Outcome {
    let short = match inv.program {
        "pvcreate" => "MuZ",
        "vgcreate" => "AclMpsZ",
        "vgextend" => "AMZ",
        "lvcreate" => "aCcIiklLmMnprRVWZS",
        "lvreduce" | "lvresize" => "AiIlLS",
        _ => "AS",
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short,
            long: LVM_VALUES,
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if args::has(&items, &["-t", "--test"]) {
        return outcome;
    }
    let operands = args::positionals(&items);
    match inv.program {
        "pvcreate" | "pvremove" => {
            for device in operands {
                write_operand(inv, &mut outcome, &device.text);
            }
        }
        "vgcreate" | "vgextend" => {
            for device in operands.iter().skip(1) {
                write_operand(inv, &mut outcome, &device.text);
            }
        }
        "vgremove" | "lvremove" => {
            for volume in operands {
                outcome.write(volume_path(&volume.text), false);
            }
        }
        "lvreduce" | "lvresize" => {
            if let Some(volume) = operands.first() {
                outcome.write(volume_path(&volume.text), false);
            }
        }
        "lvcreate" => {
            let name = args::value(&items, &["-n", "--name"]);
            let group = operands.first().map(|g| {
                let g = g.text.trim_start_matches("/dev/");
                g.split('/').next().unwrap_or(g)
            });
            match (name, group) {
                (Some(name), _) if name.text.contains('/') => {
                    outcome.write(volume_path(&name.text), false);
                }
                (Some(name), Some(group)) => {
                    outcome.write(format!("/dev/{group}/{}", name.text), false);
                }
                _ => {}
            }
        }
        _ => {}
    }
    outcome
}

/// mdadm's long options that take a value.
const MDADM_VALUES: &[&str] = &[
    "level",
    "raid-devices",
    "spare-devices",
    "chunk",
    "rounding",
    "layout",
    "parity",
    "bitmap",
    "bitmap-chunk",
    "name",
    "metadata",
    "size",
    "array-size",
    "uuid",
    "homehost",
    "config",
    "super-minor",
    "backup-file",
    "data-offset",
    "consistency-policy",
    "auto",
    "symlinks",
    "delay",
    "mail",
    "program",
    "alert",
    "update",
    "subarray",
    "kill-subarray",
    "prefer",
    "write-journal",
    "home-cluster",
    "nodes",
];

/// `mdadm --create MD --level=1 --raid-devices=2 DEV...` writes the array
/// and its members; `--zero-superblock DEV...` the devices cleared;
/// `mdadm MD --add DEV` (manage mode) the devices added.
fn mdadm(inv: &Invocation<'_>) -> Outcome {
    #[derive(PartialEq)]
    enum Mode {
        Other,
        Create,
        Zero,
    }
    let mut mode = Mode::Other;
    let mut adding = false;
    let mut outcome = Outcome::default();
    let mut iter = inv.args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.text.as_str();
        match text {
            "--create" | "-C" | "--build" | "-B" => mode = Mode::Create,
            "--zero-superblock" => mode = Mode::Zero,
            "--add" | "--re-add" | "--add-spare" | "--replace" | "--with" | "--add-journal" => {
                adding = true;
            }
            "-a" if mode != Mode::Create => adding = true,
            "--fail" | "-f" | "--remove" | "-r" | "--set-faulty" | "--stop" | "-S" => {
                adding = false;
            }
            _ if text.starts_with("--") => {
                if !text.contains('=') && MDADM_VALUES.contains(&text.trim_start_matches('-')) {
                    iter.next();
                }
            }
            _ if text.starts_with('-') && text.len() > 1 => {
                let valued = if mode == Mode::Create {
                    "lnxcpbNezuka"
                } else {
                    "c"
                };
                // `-l1` carries its value; `-l 1` takes the next word.
                if text.len() == 2 && text.chars().nth(1).is_some_and(|c| valued.contains(c)) {
                    iter.next();
                }
            }
            _ => {
                let writes = match mode {
                    Mode::Create => text != "missing",
                    Mode::Zero => true,
                    Mode::Other => adding,
                };
                if writes {
                    write_operand(inv, &mut outcome, text);
                }
            }
        }
    }
    outcome
}

/// `tune2fs OPTIONS DEV` changes the filesystem's settings (`-l` alone
/// only lists them); `resize2fs DEV [SIZE]` resizes it (`-P` only
/// estimates); `e2label DEV LABEL` relabels it.
fn ext_tools(inv: &Invocation<'_>) -> Outcome {
    let short = match inv.program {
        "tune2fs" => "cCeEgiIJLmMoOQrsTuUz",
        "resize2fs" => "dSz",
        _ => "",
    };
    let items = args::parse(
        inv.args,
        &Spec {
            short,
            long: &[],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    let operands = args::positionals(&items);
    let writes = match inv.program {
        "tune2fs" => items
            .iter()
            .any(|item| matches!(item, Item::Opt { name, .. } if name != "-l" && name != "-f")),
        "resize2fs" => !args::has(&items, &["-P"]),
        _ => operands.len() >= 2,
    };
    if writes && let Some(device) = operands.first() {
        write_operand(inv, &mut outcome, &device.text);
    }
    outcome
}

/// `growpart DISK PARTITION` rewrites the disk's partition table, unless
/// it is a dry run (`-N`).
fn growpart(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "u",
            long: &["fudge", "update", "free-percent"],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    if !args::has(&items, &["-N", "--dry-run"])
        && let Some(disk) = args::positionals(&items).first()
    {
        write_operand(inv, &mut outcome, &disk.text);
    }
    outcome
}

/// Drive-level erases and writes: `nvme format|sanitize|write-zeroes|
/// write|dsm|delete-ns DEV`, `hdparm --security-erase PASS DEV` (and its
/// other destructive options), `sg_format --format DEV`, `sg_sanitize
/// DEV`: the `/dev` operands are written.
fn device_erase(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let erases = match inv.program {
        "nvme" => inv.args.first().is_some_and(|sub| {
            matches!(
                sub.text.as_str(),
                "format"
                    | "sanitize"
                    | "write-zeroes"
                    | "write"
                    | "write-uncor"
                    | "dsm"
                    | "delete-ns"
                    | "ns-delete"
            )
        }),
        "hdparm" => inv.args.iter().any(|a| {
            matches!(
                a.text.as_str(),
                "--security-erase"
                    | "--security-erase-enhanced"
                    | "--trim-sector-ranges"
                    | "--trim-sector-ranges-stdin"
                    | "--write-sector"
                    | "--make-bad-sector"
                    | "--dco-restore"
            )
        }),
        "sg_format" => inv.args.iter().any(|a| {
            a.text == "--format"
                || (a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('F'))
        }),
        _ => true,
    };
    if inv.program == "nvme" {
        let mut iter = inv.args.iter();
        while let Some(arg) = iter.next() {
            let file = match arg.text.as_str() {
                "-d" | "--data" => iter.next().map(|v| v.text.as_str()),
                text => text.strip_prefix("--data="),
            };
            if let Some(file) = file {
                read_operand(inv, &mut outcome, file, false);
            }
        }
    }
    if erases {
        for arg in inv.args.iter().filter(|a| a.text.starts_with("/dev/")) {
            write_operand(inv, &mut outcome, &arg.text);
        }
    }
    outcome
}

/// `ddrescue [OPTIONS] INFILE OUTFILE [MAPFILE]`: copies a disk or image
/// onto another, which then holds what the input holds; the map file is
/// kept up to date. `-m FILE` reads a domain map file.
fn ddrescue(inv: &Invocation<'_>) -> Outcome {
    let items = args::parse(
        inv.args,
        &Spec {
            short: "abceEFHiKlmorsTxZ",
            long: &[
                "min-read-rate",
                "sector-size",
                "cluster-size",
                "max-bad-areas",
                "max-error-rate",
                "fill-mode",
                "test-mode",
                "input-position",
                "skip-size",
                "log-events",
                "log-rates",
                "log-reads",
                "domain-mapfile",
                "output-position",
                "retry-passes",
                "size",
                "timeout",
                "extend-outfile",
                "max-read-errors",
                "max-slow-reads",
                "mapfile-interval",
                "cpass",
                "delay-slow",
                "pause-on-error",
                "pause-on-pass",
            ],
            stop_after: None,
        },
    );
    let mut outcome = Outcome::default();
    for file in args::values(&items, &["-m", "--domain-mapfile"]) {
        read_operand(inv, &mut outcome, &file.text, false);
    }
    let operands = args::positionals(&items);
    let generates = args::has(&items, &["-G", "--generate-mode"]);
    if let Some(input) = operands.first() {
        read_operand(inv, &mut outcome, &input.text, false);
        if let Some(output) = operands.get(1) {
            if generates {
                read_operand(inv, &mut outcome, &output.text, false);
            } else {
                write_operand(inv, &mut outcome, &output.text);
                outcome.contents.push((
                    inv.path(&output.text),
                    flow::file_payload(inv.path(&input.text), false),
                ));
            }
        }
    }
    if let Some(map) = operands.get(2) {
        write_operand(inv, &mut outcome, &map.text);
    }
    outcome
}

/// `bmaptool copy IMAGE DEST` writes the image onto a disk (or file);
/// `bmaptool create -o MAP IMAGE` writes the block map of an image.
fn bmaptool(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some((sub, rest)) = inv.args.split_first() else {
        return outcome;
    };
    let items = args::parse(
        rest,
        &Spec {
            short: "o",
            long: &[
                "bmap",
                "bmap-sig",
                "psplash-pipe",
                "output",
                "fingerprint",
                "keyring",
            ],
            stop_after: None,
        },
    );
    let operands = args::positionals(&items);
    let local = |a: &Arg| !a.text.contains("://");
    match sub.text.as_str() {
        "copy" | "flash" => {
            for file in args::values(&items, &["--bmap"]) {
                if local(file) {
                    read_operand(inv, &mut outcome, &file.text, false);
                }
            }
            let (Some(image), Some(dest)) = (operands.first(), operands.get(1)) else {
                return outcome;
            };
            let mut holds = crate::Payload::default();
            if local(image) {
                read_operand(inv, &mut outcome, &image.text, false);
                holds = flow::file_payload(inv.path(&image.text), false);
            }
            write_operand(inv, &mut outcome, &dest.text);
            if !holds.is_empty() {
                outcome.contents.push((inv.path(&dest.text), holds));
            }
        }
        "create" => {
            if let Some(image) = operands.first() {
                read_operand(inv, &mut outcome, &image.text, false);
            }
            for map in args::values(&items, &["-o", "--output"]) {
                write_operand(inv, &mut outcome, &map.text);
            }
        }
        _ => {}
    }
    outcome
}

/// `mksquashfs SOURCE... IMAGE [OPTIONS]`: the operands come before the
/// options; the last is the image written, holding the trees before it.
fn mksquashfs(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let operands: Vec<&Arg> = inv
        .args
        .iter()
        .take_while(|a| !a.text.starts_with('-'))
        .collect();
    let Some((image, sources)) = operands.split_last() else {
        return outcome;
    };
    let mut holds = crate::Payload::default();
    for source in sources {
        let path = inv.path(&source.text);
        outcome.read(path.clone(), true);
        flow::merge(&mut holds, &flow::file_payload(path, true));
    }
    write_operand(inv, &mut outcome, &image.text);
    if !holds.is_empty() {
        outcome.contents.push((inv.path(&image.text), holds));
    }
    let mut rest = inv.args.iter().skip(operands.len());
    while let Some(arg) = rest.next() {
        match arg.text.as_str() {
            // Files listing what to exclude, sort or add.
            "-ef" | "-sort" | "-pf" | "-cpiostyle" => {
                if let Some(file) = rest.next() {
                    read_operand(inv, &mut outcome, &file.text, false);
                }
            }
            // What follows `-e` are all names to exclude.
            "-e" => break,
            _ => {}
        }
    }
    outcome
}
