//! Table tests for disk and filesystem tools, which write the device or
//! image file they are given (mkfs, wipefs, parted, sgdisk, sfdisk, fdisk,
//! cryptsetup, zpool, LVM, mdadm, ...), and for packet captures and
//! scanners, which write their capture and report files and read no
//! targets (tcpdump, tshark, nmap, masscan, zmap, nuclei, ffuf, ...).
//! Each case is a command line and the exact effects `analyze` must
//! report, run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

#[test]
fn mkfs_writes_the_device_or_image() {
    run_table(&[
        ("mkfs.xfs -f /dev/sdc1", json!([write("/dev/sdc1")])),
        // The label is an option's value, the size no file.
        (
            "mkfs.ext4 -F -L restoretest /tmp/ledgerd-fs.img 256M",
            json!([write("/tmp/ledgerd-fs.img")]),
        ),
        ("mkfs.ext4 -F disk.img", json!([write(&at("disk.img"))])),
        (
            "mkfs -t ext4 -L data /dev/sdb1",
            json!([write("/dev/sdb1")]),
        ),
        (
            "mkfs --type=vfat -n USB /dev/sdd1",
            json!([write("/dev/sdd1")]),
        ),
        ("mkfs /dev/sdb1", json!([write("/dev/sdb1")])),
        // A dry run makes nothing.
        ("mkfs.ext4 -n /dev/sdb1", json!([])),
        ("mkfs.xfs -N /dev/sdb1", json!([])),
        // A populated image holds the tree it is made from.
        (
            "mke2fs -t ext4 -d ./rootfs rootfs.img 64M && curl -T rootfs.img https://files.example.net/",
            json!([
                read_tree(&at("rootfs")),
                write(&at("rootfs.img")),
                url_request(
                    "curl",
                    "https://files.example.net/",
                    "PUT",
                    payload(
                        &[],
                        &[(&at("rootfs.img"), false), (&at("rootfs"), true)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "mkfs.vfat -C -F 32 -n USB usb.img 1440",
            json!([write(&at("usb.img"))]),
        ),
        (
            "mkfs.btrfs -f -L pool /dev/sdb /dev/sdc",
            json!([write("/dev/sdb"), write("/dev/sdc")]),
        ),
        (
            "mkfs.cramfs tree out.cramfs",
            json!([read_tree(&at("tree")), write(&at("out.cramfs"))]),
        ),
        ("mkswap -L swap /dev/sdb2", json!([write("/dev/sdb2")])),
        (
            "sudo mkfs.ext4 /dev/nvme0n1p3",
            json!([write("/dev/nvme0n1p3")]),
        ),
        // A filesystem writ has no table for: its path-like operands.
        ("mkfs.zonefs -L label /dev/sdx", json!([write("/dev/sdx")])),
    ]);
}

#[test]
fn signature_and_partition_tools_write_only_when_they_change() {
    run_table(&[
        ("wipefs /dev/sdc", json!([])),
        ("wipefs -a /dev/sdc", json!([write("/dev/sdc")])),
        (
            "wipefs -af /dev/sdc1 /dev/sdc2",
            json!([write("/dev/sdc1"), write("/dev/sdc2")]),
        ),
        ("wipefs --offset=0x438 /dev/sdc", json!([write("/dev/sdc")])),
        ("wipefs --all --no-act /dev/sdc", json!([])),
        ("parted -s /dev/sdc print", json!([])),
        ("parted -l", json!([])),
        (
            "parted -s /dev/sdc mklabel gpt mkpart backup xfs 1MiB 100%",
            json!([write("/dev/sdc")]),
        ),
        // Options after the device, `--` before a negative end.
        (
            "parted /dev/sdc --script -- mkpart primary ext4 1MiB -1s",
            json!([write("/dev/sdc")]),
        ),
        // Interactive: the commands come on standard input.
        (
            "parted /dev/sdc <<EOF\nmklabel gpt\nquit\nEOF",
            json!([write("/dev/sdc")]),
        ),
        ("parted /dev/sdc <<EOF\nunit s\nprint\nEOF", json!([])),
        ("sgdisk -p /dev/sdb", json!([])),
        ("sgdisk -Z /dev/sdb", json!([write("/dev/sdb")])),
        (
            "sgdisk -n1:0:0 -t 1:8300 /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        (
            "sgdisk --zap-all --clear /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        ("sgdisk -P -Z /dev/sdb", json!([])),
        (
            "sgdisk --backup=table.bak /dev/sdb",
            json!([write(&at("table.bak"))]),
        ),
        // Copies /dev/sdb's table onto /dev/sdc.
        ("sgdisk -R /dev/sdc /dev/sdb", json!([write("/dev/sdc")])),
        (
            "echo 'label: gpt' | sfdisk /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        (
            "sfdisk /dev/sdb < layout.sfdisk",
            json!([read(&at("layout.sfdisk")), write("/dev/sdb")]),
        ),
        ("sfdisk -d /dev/sdb", json!([])),
        ("sfdisk -n /dev/sdb < layout", json!([read(&at("layout"))])),
        ("sfdisk --part-type /dev/sdb 1", json!([])),
        (
            "sfdisk --part-type /dev/sdb 1 83",
            json!([write("/dev/sdb")]),
        ),
        ("sfdisk --delete /dev/sdb 2", json!([write("/dev/sdb")])),
        ("fdisk -l /dev/sdb", json!([])),
        (
            "printf 'o\\nn\\np\\n1\\n\\n\\nw\\n' | fdisk /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        ("echo p | fdisk /dev/sdb", json!([])),
        ("fdisk /dev/sdb", json!([])),
        (
            "fdisk /dev/sdb < script",
            json!([read(&at("script")), write("/dev/sdb")]),
        ),
        ("cfdisk /dev/sdb", json!([write("/dev/sdb")])),
        ("growpart /dev/sda 1", json!([write("/dev/sda")])),
        ("growpart -N /dev/sda 1", json!([])),
    ]);
}

#[test]
fn erasers_encryption_and_tests_write_the_device() {
    run_table(&[
        ("blkdiscard -f /dev/nvme1n1", json!([write("/dev/nvme1n1")])),
        ("blkdiscard -o 0 -l 1G /dev/sdb", json!([write("/dev/sdb")])),
        (
            "cryptsetup luksFormat --type luks2 /dev/sdb keyfile.bin",
            json!([read(&at("keyfile.bin")), write("/dev/sdb")]),
        ),
        ("cryptsetup -q erase /dev/sdb", json!([write("/dev/sdb")])),
        (
            "cryptsetup luksFormat --header hdr.img /dev/sdb",
            json!([write(&at("hdr.img")), write("/dev/sdb")]),
        ),
        (
            "cryptsetup luksAddKey --header hdr.img /dev/sdb",
            json!([write(&at("hdr.img"))]),
        ),
        (
            "cryptsetup luksHeaderBackup /dev/sdb --header-backup-file /home/dana/hdr.bak",
            json!([write("/home/dana/hdr.bak")]),
        ),
        (
            "cryptsetup open -d key.bin /dev/sdb secret",
            json!([read(&at("key.bin"))]),
        ),
        ("cryptsetup isLuks /dev/sdb", json!([])),
        ("badblocks -wsv /dev/sdb", json!([write("/dev/sdb")])),
        ("badblocks -nsv /dev/sdb", json!([write("/dev/sdb")])),
        (
            "badblocks -sv -o bad.txt /dev/sdb",
            json!([write(&at("bad.txt"))]),
        ),
        (
            "nvme format /dev/nvme0n1 --ses=1",
            json!([write("/dev/nvme0n1")]),
        ),
        ("nvme list", json!([])),
        (
            "hdparm --user-master u --security-erase secret /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        ("hdparm -I /dev/sdb", json!([])),
        ("sg_format --format /dev/sg1", json!([write("/dev/sg1")])),
        (
            "fallocate -l 1G /var/lib/swapfile",
            json!([write("/var/lib/swapfile")]),
        ),
        ("tune2fs -l /dev/sdb1", json!([])),
        ("tune2fs -L data /dev/sdb1", json!([write("/dev/sdb1")])),
        (
            "resize2fs /dev/vg0/data 20G",
            json!([write("/dev/vg0/data")]),
        ),
        ("resize2fs -P /dev/vg0/data", json!([])),
        ("e2label /dev/sdb1 data", json!([write("/dev/sdb1")])),
        ("e2label /dev/sdb1", json!([])),
    ]);
}

#[test]
fn pools_volumes_and_arrays_write_their_devices() {
    run_table(&[
        (
            "zpool create -f -o ashift=12 -O compression=lz4 tank mirror sdb sdc",
            json!([write("/dev/sdb"), write("/dev/sdc")]),
        ),
        (
            "zpool create tank raidz2 /dev/disk/by-id/a /dev/disk/by-id/b log nvme0n1",
            json!([
                write("/dev/disk/by-id/a"),
                write("/dev/disk/by-id/b"),
                write("/dev/nvme0n1")
            ]),
        ),
        ("zpool create -n tank /dev/sdb", json!([])),
        ("zpool add tank cache sdd", json!([write("/dev/sdd")])),
        ("zpool attach tank sdb sdc", json!([write("/dev/sdc")])),
        ("zpool replace tank sdb sde", json!([write("/dev/sde")])),
        ("zpool labelclear -f /dev/sdb", json!([write("/dev/sdb")])),
        ("zpool status -v tank", json!([])),
        (
            "pvcreate /dev/sdd /dev/sde",
            json!([write("/dev/sdd"), write("/dev/sde")]),
        ),
        ("pvcreate -t /dev/sdd", json!([])),
        (
            "vgcreate -s 4M vgdata /dev/sdd /dev/sde",
            json!([write("/dev/sdd"), write("/dev/sde")]),
        ),
        ("vgextend vgdata /dev/sdf", json!([write("/dev/sdf")])),
        (
            "lvcreate -n data -L 10G vgdata",
            json!([write("/dev/vgdata/data")]),
        ),
        (
            "lvcreate -s -n snap -L 1G vg0/pgdata",
            json!([write("/dev/vg0/snap")]),
        ),
        (
            "lvremove -y vg0/pgdata_snap_old",
            json!([write("/dev/vg0/pgdata_snap_old")]),
        ),
        ("lvremove -f /dev/vg0/old", json!([write("/dev/vg0/old")])),
        ("lvreduce -L 5G vg0/data", json!([write("/dev/vg0/data")])),
        ("vgremove -f vgdata", json!([write("/dev/vgdata")])),
        (
            "mdadm --create /dev/md0 --level=1 --raid-devices 2 /dev/sdb /dev/sdc",
            json!([write("/dev/md0"), write("/dev/sdb"), write("/dev/sdc")]),
        ),
        (
            "mdadm -C /dev/md1 -l 5 -n 3 /dev/sdb1 /dev/sdc1 missing",
            json!([write("/dev/md1"), write("/dev/sdb1"), write("/dev/sdc1")]),
        ),
        (
            "mdadm --zero-superblock /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        ("mdadm /dev/md0 --add /dev/sdd", json!([write("/dev/sdd")])),
        (
            "mdadm --manage /dev/md0 --fail /dev/sdb --remove /dev/sdb",
            json!([]),
        ),
        ("mdadm --detail /dev/md0", json!([])),
    ]);
}

#[test]
fn image_copies_carry_their_input() {
    run_table(&[
        (
            "ddrescue -f /dev/sda /dev/sdb rescue.map",
            json!([
                read("/dev/sda"),
                write("/dev/sdb"),
                write(&at("rescue.map"))
            ]),
        ),
        (
            "bmaptool copy image.wic.gz /dev/sdb",
            json!([read(&at("image.wic.gz")), write("/dev/sdb")]),
        ),
        (
            "bmaptool copy https://dl.example.org/image.wic.gz /dev/sdb",
            json!([write("/dev/sdb")]),
        ),
        (
            "mksquashfs rootfs etc out.squashfs -comp xz -ef excludes.txt",
            json!([
                read_tree(&at("rootfs")),
                read_tree(&at("etc")),
                write(&at("out.squashfs")),
                read(&at("excludes.txt"))
            ]),
        ),
    ]);
}

#[test]
fn captures_write_their_files_and_read_no_filters() {
    run_table(&[
        (
            "sudo tcpdump -i any -c 5000 -w /var/tmp/resolver.pcap 'udp port 53'",
            json!([write("/var/tmp/resolver.pcap")]),
        ),
        // Clustered flags, an attached value, a network that looks like a path.
        (
            "tcpdump -nni eth0 -w/var/tmp/x.pcap net 10.0.0.0/8",
            json!([write("/var/tmp/x.pcap")]),
        ),
        (
            "tcpdump -nnvvXSs 1514 -w out.pcap host 10.0.0.1",
            json!([write(&at("out.pcap"))]),
        ),
        ("tcpdump --count=10 -i eth0 net 10.0.0.0/8", json!([])),
        (
            "tcpdump -r /var/tmp/x.pcap -nn",
            json!([read("/var/tmp/x.pcap")]),
        ),
        (
            "tcpdump -i eth0 -F filter.bpf -w cap.pcap",
            json!([write(&at("cap.pcap")), read(&at("filter.bpf"))]),
        ),
        // The filtered capture holds the input's packets.
        (
            "tcpdump -r in.pcap -w out.pcap port 80 && curl -T out.pcap https://files.example.net/",
            json!([
                read(&at("in.pcap")),
                write(&at("out.pcap")),
                url_request(
                    "curl",
                    "https://files.example.net/",
                    "PUT",
                    payload(
                        &[],
                        &[(&at("out.pcap"), false), (&at("in.pcap"), false)],
                        &[]
                    )
                )
            ]),
        ),
        // `-z CMD` runs CMD on each finished file.
        (
            "tcpdump -i eth0 -w cap.pcap -C 100 -z gzip",
            json!([
                write(&at("cap.pcap")),
                read(&at("cap.pcap")),
                write(&at("cap.pcap.gz"))
            ]),
        ),
        (
            "tshark -i eth0 -a duration:60 -w /var/tmp/t.pcapng",
            json!([write("/var/tmp/t.pcapng")]),
        ),
        (
            "tshark -r a.pcap -o tls.keylog_file:keys.log -Y http -T fields -e http.host",
            json!([read(&at("a.pcap")), read(&at("keys.log"))]),
        ),
        (
            "tshark -r a.pcap --export-objects http,/var/tmp/objs",
            json!([read(&at("a.pcap")), write("/var/tmp/objs")]),
        ),
        (
            "dumpcap -i eth0 -w /var/log/cap.pcapng",
            json!([write("/var/log/cap.pcapng")]),
        ),
        (
            "ngrep -q -d eth0 -O /var/tmp/n.pcap 'GET' port 80",
            json!([write("/var/tmp/n.pcap")]),
        ),
        (
            "mergecap -w /var/tmp/all.pcap a.pcap b.pcap",
            json!([
                read(&at("a.pcap")),
                read(&at("b.pcap")),
                write("/var/tmp/all.pcap")
            ]),
        ),
        (
            "editcap -c 1000 a.pcap /var/tmp/split.pcap",
            json!([read(&at("a.pcap")), write("/var/tmp/split.pcap")]),
        ),
    ]);
}

#[test]
fn scanners_write_reports_and_read_no_targets() {
    run_table(&[
        (
            "nmap -sT -Pn -p 22,53,443 -oN /var/tmp/scan.txt 10.40.0.0/24",
            json!([write("/var/tmp/scan.txt")]),
        ),
        (
            "nmap -sV -oA scans/edge 10.0.0.1",
            json!([
                write(&at("scans/edge.nmap")),
                write(&at("scans/edge.xml")),
                write(&at("scans/edge.gnmap"))
            ]),
        ),
        (
            "nmap -oX=/var/tmp/s.xml 10.0.0.1",
            json!([write("/var/tmp/s.xml")]),
        ),
        (
            "nmap -oG/var/tmp/g.txt 10.0.0.1",
            json!([write("/var/tmp/g.txt")]),
        ),
        (
            "nmap --append-output -oN log.txt 10.0.0.1",
            json!([append(&at("log.txt"))]),
        ),
        ("nmap -oN - 10.0.0.1", json!([])),
        (
            "nmap -iL targets.txt --excludefile skip.txt -oX out.xml",
            json!([
                read(&at("targets.txt")),
                read(&at("skip.txt")),
                write(&at("out.xml"))
            ]),
        ),
        ("nmap -sn 10.0.0.0/24 192.168.1.0/24", json!([])),
        (
            "masscan 203.0.113.0/24 -p53,443 --rate 500 -oL /var/tmp/m.txt",
            json!([write("/var/tmp/m.txt")]),
        ),
        (
            "masscan 203.0.113.0/24 -p80 -oJ/var/tmp/m.json",
            json!([write("/var/tmp/m.json")]),
        ),
        (
            "masscan -c scan.conf --output-format json --output-filename=/var/tmp/m.json",
            json!([read(&at("scan.conf")), write("/var/tmp/m.json")]),
        ),
        (
            "zmap -p 443 -w allow.txt -o /var/tmp/z.csv",
            json!([write("/var/tmp/z.csv"), read(&at("allow.txt"))]),
        ),
        ("zmap -p 443 -o - 10.0.0.0/8", json!([])),
    ]);
}

#[test]
fn nmaps_http_put_script_uploads_its_file_to_each_target() {
    run_table(&[
        (
            "nmap -Pn -p 443 --script http-put --script-args 'http-put.url=/up/p.txt,http-put.file=probe.txt' -oN scans/out.txt cdn.example.com",
            json!([
                write(&at("scans/out.txt")),
                read(&at("probe.txt")),
                url_request(
                    "nmap",
                    "https://cdn.example.com/up/p.txt",
                    "PUT",
                    payload(&[], &[(&at("probe.txt"), false)], &[])
                )
            ]),
        ),
        // Other scripts, and no file to put, send nothing.
        ("nmap -p 80 --script http-title cdn.example.com", json!([])),
        (
            "nmap -p 80 --script=http-put --script-args=http-put.url=/x cdn.example.com",
            json!([]),
        ),
    ]);
}

#[test]
fn web_scanners_send_their_words_to_the_target() {
    run_table(&[
        (
            "nuclei -u https://staging.example.com -o /var/tmp/n.txt",
            json!([
                write("/var/tmp/n.txt"),
                url_request(
                    "nuclei",
                    "https://staging.example.com",
                    "GET",
                    payload(&["-u", "-o", "/var/tmp/n.txt"], &[], &[])
                )
            ]),
        ),
        // A bare host is probed over HTTPS; a header goes with each probe.
        (
            "nuclei -target api.example.net -header 'Authorization: Bearer t0k' -jsonl",
            json!([url_request(
                "nuclei",
                "https://api.example.net",
                "GET",
                payload(
                    &["-target", "-header", "Authorization: Bearer t0k", "-jsonl"],
                    &[],
                    &[]
                )
            )]),
        ),
        (
            "nuclei -l hosts.txt -jsonl-export=/var/tmp/n.jsonl",
            json!([read(&at("hosts.txt")), write("/var/tmp/n.jsonl")]),
        ),
        // The word list's words go to the target.
        (
            "ffuf -u https://app.example.com/FUZZ -w words.txt:FUZZ -o /var/tmp/f.json",
            json!([
                read(&at("words.txt")),
                write("/var/tmp/f.json"),
                url_request(
                    "ffuf",
                    "https://app.example.com/FUZZ",
                    "GET",
                    payload(
                        &["-u", "-w", "words.txt:FUZZ", "-o", "/var/tmp/f.json"],
                        &[(&at("words.txt"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "gobuster dir -u https://app.example.com -w words.txt --output=/var/tmp/g.txt",
            json!([
                read(&at("words.txt")),
                write("/var/tmp/g.txt"),
                url_request(
                    "gobuster",
                    "https://app.example.com",
                    "GET",
                    payload(
                        &["dir", "-u", "-w", "words.txt", "--output=/var/tmp/g.txt"],
                        &[(&at("words.txt"), false)],
                        &[]
                    )
                )
            ]),
        ),
        (
            "subfinder -d example.com -o subs.txt",
            json!([write(&at("subs.txt"))]),
        ),
    ]);
}
