//! Table tests for clients that send data to a host by a protocol of their
//! own: MQTT publishers and subscribers, OPC UA and Modbus tools, esptool
//! over a network serial port, game and app store uploaders (steamcmd,
//! butler, altool, notarytool, BuildPatchTool), Perforce and `git lfs
//! push`. Each case is a command line and the exact effects `analyze`
//! reports for it, run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;

use serde_json::{Value, json};

/// A payload that also carries the working directory's repository.
fn repository(text: &[&str]) -> Value {
    json!({"text": text, "files": [], "env": [], "repository": true})
}

fn grant(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

/// Asserts that `command` makes no network request.
fn no_requests(command: &str) {
    let analysis = writ_shell::analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    let requests: Vec<&Value> = effects
        .as_array()
        .map(|all| all.iter().filter(|e| e["effect"] == "request").collect())
        .unwrap_or_default();
    assert!(
        requests.is_empty(),
        "{command} makes requests: {requests:?}"
    );
}

#[test]
fn mosquitto_publishes_what_it_is_given() {
    run_table(&[
        (
            r#"mosquitto_pub -h test.mosquitto.org -t kestrel/demo -m '{"v":231.4}'"#,
            json!([url_request(
                "mosquitto_pub",
                "mqtt://test.mosquitto.org",
                "SEND",
                payload(&["kestrel/demo", r#"{"v":231.4}"#], &[], &[])
            )]),
        ),
        (
            r#"mosquitto_pub -h broker.emqx.io -p 1883 -u kestrel -P "$MQTT_PASSWORD" -t gw/status -m online"#,
            json!([url_request(
                "mosquitto_pub",
                "mqtt://broker.emqx.io:1883",
                "SEND",
                payload(
                    &["kestrel", "$MQTT_PASSWORD", "gw/status", "online"],
                    &[],
                    &["MQTT_PASSWORD"]
                )
            )]),
        ),
        // `-f` sends the file.
        (
            "mosquitto_pub -h broker.hivemq.com -t dbg -f certs/device.key",
            json!([url_request(
                "mosquitto_pub",
                "mqtt://broker.hivemq.com",
                "SEND",
                payload(&["dbg"], &[(&at("certs/device.key"), false)], &[])
            )]),
        ),
        // The URL names the broker, the credentials and the topic.
        (
            "mosquitto_pub -L mqtts://dev:s3cret@b.example.com:8884/line/2 -m x",
            json!([url_request(
                "mosquitto_pub",
                "mqtts://b.example.com:8884",
                "SEND",
                payload(&["line/2", "dev", "s3cret", "x"], &[], &[])
            )]),
        ),
        // TLS files are used here, not sent.
        (
            "mosquitto_pub --cafile certs/ca.pem --cert c.pem --key k.pem -h b.example.com -t t -m m",
            json!([url_request(
                "mosquitto_pub",
                "mqtts://b.example.com",
                "SEND",
                payload(&["t", "m"], &[], &[])
            )]),
        ),
        // A property's name and value go with the message.
        (
            "mosquitto_pub -h b.example.com -D PUBLISH user-property site berlin -t t -m m",
            json!([url_request(
                "mosquitto_pub",
                "mqtt://b.example.com",
                "SEND",
                payload(&["site", "berlin", "t", "m"], &[], &[])
            )]),
        ),
        // `-s` publishes standard input.
        (
            "cat data/sites.csv | mosquitto_pub -h b.example.com -t t -s",
            json!([
                read(&at("data/sites.csv")),
                url_request(
                    "mosquitto_pub",
                    "mqtt://b.example.com",
                    "SEND",
                    payload(&["t"], &[(&at("data/sites.csv"), false)], &[])
                )
            ]),
        ),
        // The default broker is this machine.
        (
            "mosquitto_pub -t t -m m",
            json!([url_request(
                "mosquitto_pub",
                "mqtt://localhost",
                "SEND",
                payload(&["t", "m"], &[], &[])
            )]),
        ),
        (
            "mosquitto_pub --unix /run/mosquitto.sock -t t -m m",
            json!([]),
        ),
        ("mosquitto_pub --help", json!([])),
    ]);
}

#[test]
fn subscribers_read_from_the_broker() {
    run_table(&[
        (
            "mosquitto_sub -h test.mosquitto.org -t 'kestrel/demo/#' -v -C 2",
            json!([url_request(
                "mosquitto_sub",
                "mqtt://test.mosquitto.org",
                "DOWNLOAD",
                payload(&["kestrel/demo/#"], &[], &[])
            )]),
        ),
        (
            "mqttx sub -t 'plant/#' -h b.example.com --file-write out.log",
            json!([
                write(&at("out.log")),
                url_request(
                    "mqttx",
                    "mqtt://b.example.com",
                    "DOWNLOAD",
                    payload(&["plant/#"], &[], &[])
                )
            ]),
        ),
        (
            "mqtt sub -h b.example.com -t 'a/#' -of received.txt",
            json!([
                write(&at("received.txt")),
                url_request(
                    "mqtt",
                    "mqtt://b.example.com",
                    "DOWNLOAD",
                    payload(&["a/#"], &[], &[])
                )
            ]),
        ),
    ]);
}

#[test]
fn mqtt_cli_and_mqttx_publish() {
    run_table(&[
        // HiveMQ: the password from the environment (MQTT_CLI_PW by default).
        (
            "mqtt pub -h broker.hivemq.com -t a -m hi -pw:env",
            json!([url_request(
                "mqtt",
                "mqtt://broker.hivemq.com",
                "SEND",
                payload(&["a", "hi"], &[], &["MQTT_CLI_PW"])
            )]),
        ),
        (
            "mqtt publish --host=b.example.com -t a -m:file msg.json -u me -pw:file pw.txt",
            json!([url_request(
                "mqtt",
                "mqtt://b.example.com",
                "SEND",
                payload(
                    &["a", "me"],
                    &[(&at("msg.json"), false), (&at("pw.txt"), false)],
                    &[]
                )
            )]),
        ),
        // `-pw` with no value prompts for the password.
        (
            "mqtt pub -h b.example.com -pw -t a -m hi",
            json!([url_request(
                "mqtt",
                "mqtt://b.example.com",
                "SEND",
                payload(&["a", "hi"], &[], &[])
            )]),
        ),
        // MQTT.js: the topic and message after the options.
        (
            "mqtt pub -h b.example.com -C mqtts plant/line2 'started'",
            json!([url_request(
                "mqtt",
                "mqtts://b.example.com",
                "SEND",
                payload(&["plant/line2", "started"], &[], &[])
            )]),
        ),
        (
            "mqttx pub -t t -h b.example.com -p 8883 -l mqtts -P \"$MQTT_PASSWORD\" -m hi",
            json!([url_request(
                "mqttx",
                "mqtts://b.example.com:8883",
                "SEND",
                payload(&["t", "$MQTT_PASSWORD", "hi"], &[], &["MQTT_PASSWORD"])
            )]),
        ),
        (
            "mqttx bench pub -c 10 -t 'bench/%i' -h b.example.com",
            json!([url_request(
                "mqttx",
                "mqtt://b.example.com",
                "SEND",
                payload(&["bench/%i"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn opcua_tools_write_and_read_nodes() {
    run_table(&[
        (
            "uawrite -u opc.tcp://opc.example.com:4840 -n 'ns=2;s=Breaker.Cmd' -t bool true",
            json!([url_request(
                "uawrite",
                "opc.tcp://opc.example.com:4840",
                "SEND",
                payload(&["ns=2;s=Breaker.Cmd", "true"], &[], &[])
            )]),
        ),
        (
            r#"uacall -u opc.tcp://h.example.com:4840 --user op --password "$OPC_PW" -n i=1 -m 2:reset 1,2"#,
            json!([url_request(
                "uacall",
                "opc.tcp://h.example.com:4840",
                "SEND",
                payload(
                    &["op", "$OPC_PW", "i=1", "2:reset", "1,2"],
                    &[],
                    &["OPC_PW"]
                )
            )]),
        ),
        // The scheme is added to a bare address.
        (
            "uaread -u opc.example.com:4840 -n i=85",
            json!([url_request(
                "uaread",
                "opc.tcp://opc.example.com:4840",
                "DOWNLOAD",
                empty()
            )]),
        ),
        (
            "uals",
            json!([url_request(
                "uals",
                "opc.tcp://localhost:4840",
                "DOWNLOAD",
                empty()
            )]),
        ),
        (
            "uageneratestructs -u opc.tcp://h.example.com:4840 -n i=93 -o structs.py",
            json!([
                write(&at("structs.py")),
                url_request(
                    "uageneratestructs",
                    "opc.tcp://h.example.com:4840",
                    "DOWNLOAD",
                    empty()
                )
            ]),
        ),
        // `-n` is a flag of uadiscover's.
        (
            "uadiscover -n -u opc.tcp://h.example.com:4840",
            json!([url_request(
                "uadiscover",
                "opc.tcp://h.example.com:4840",
                "DOWNLOAD",
                empty()
            )]),
        ),
    ]);
}

#[test]
fn modbus_pollers_write_values_given_after_the_host() {
    let plc = |port| host(None, "plc.example.com", port, None);
    run_table(&[
        (
            "mbpoll -m tcp -a 1 -r 40021 -t 4 plc.example.com 1500",
            json!([host_request(
                "mbpoll",
                plc(None),
                "SEND",
                payload(&["1500"], &[], &[])
            )]),
        ),
        (
            "mbpoll -a 1 -t 3 -c 2 -p 5020 plc.example.com",
            json!([host_request("mbpoll", plc(Some(5020)), "DOWNLOAD", empty())]),
        ),
        (
            "modpoll -m tcp -r 100 -t4:int plc.example.com -- 5 -3",
            json!([host_request(
                "modpoll",
                plc(None),
                "SEND",
                payload(&["5", "-3"], &[], &[])
            )]),
        ),
        // Serial lines are local.
        (
            "mbpoll -a 33 -b 38400 -t 3 -r 1 -c 2 /dev/ttyUSB2",
            json!([]),
        ),
        ("modpoll -m rtu -a 1 plc 12", json!([])),
        ("modpoll -b 9600 COM3 7", json!([])),
    ]);
}

#[test]
fn esptool_over_a_network_port_reaches_that_host() {
    let port = "rfc2217://bench.example.com:4000";
    run_table(&[
        (
            "esptool.py --chip esp32 --port rfc2217://bench.example.com:4000 -b 921600 write_flash --flash_mode dio 0x0 build/fw.bin 0x8000 build/pt.bin",
            json!([url_request(
                "esptool.py",
                port,
                "UPLOAD",
                payload(
                    &[],
                    &[(&at("build/fw.bin"), false), (&at("build/pt.bin"), false)],
                    &[]
                )
            )]),
        ),
        (
            "esptool --port=rfc2217://bench.example.com:4000 write-flash -fm qio 0x10000 app.bin",
            json!([url_request(
                "esptool",
                port,
                "UPLOAD",
                payload(&[], &[(&at("app.bin"), false)], &[])
            )]),
        ),
        (
            "esptool.py --port socket://10.1.2.3:3333 read_flash 0 0x400000 dump.bin",
            json!([
                write(&at("dump.bin")),
                url_request("esptool.py", "socket://10.1.2.3:3333", "DOWNLOAD", empty())
            ]),
        ),
        (
            "esptool.py -p socket://10.1.2.3:3333 erase_flash",
            json!([url_request(
                "esptool.py",
                "socket://10.1.2.3:3333",
                "SEND",
                empty()
            )]),
        ),
    ]);
    no_requests("esptool.py --chip esp32s3 --port /dev/ttyUSB0 write_flash 0x0 build/fw.bin");
    no_requests("esptool.py --port rfc2217://bench.example.com:4000 merge_bin -o m.bin 0x0 a.bin");
}

#[test]
fn perforce_sends_to_the_server_it_names() {
    let server = |name: &str, port| host(None, name, port, None);
    run_table(&[
        (
            r#"p4 -p ssl:p4.example.com:1666 -u drop -c ws submit -d "Cert drop""#,
            json!([host_request(
                "p4",
                server("p4.example.com", Some(1666)),
                "UPLOAD",
                repository(&["Cert drop"])
            )]),
        ),
        (
            "P4PORT=tcp:p4.example.com:1666 p4 shelve -c 12",
            json!([host_request(
                "p4",
                server("p4.example.com", Some(1666)),
                "UPLOAD",
                repository(&[])
            )]),
        ),
        // `shelve -d` deletes a shelf: a change, with nothing uploaded.
        (
            "p4 -pp4.example.com:1666 shelve -d -c 12",
            json!([host_request(
                "p4",
                server("p4.example.com", Some(1666)),
                "SEND",
                payload(&["12"], &[], &[])
            )]),
        ),
        (
            "p4 -p p4.example.com:1666 obliterate -y //depot/old/...",
            json!([host_request(
                "p4",
                server("p4.example.com", Some(1666)),
                "DELETE",
                empty()
            )]),
        ),
        // Without `-y`, obliterate only previews.
        (
            "p4 -p p4.example.com:1666 obliterate //depot/old/...",
            json!([host_request(
                "p4",
                server("p4.example.com", Some(1666)),
                "DOWNLOAD",
                empty()
            )]),
        ),
        (
            r#"p4 -P "$P4_TICKET" -p 1666 sync //depot/main/..."#,
            json!([host_request(
                "p4",
                server("localhost", Some(1666)),
                "DOWNLOAD",
                payload(&["$P4_TICKET"], &[], &["P4_TICKET"])
            )]),
        ),
        (
            r#"P4PASSWD="$P4_SECRET" p4 -p p4.example.com:1666 edit src/a.c"#,
            json!([host_request(
                "p4",
                server("p4.example.com", Some(1666)),
                "SEND",
                payload(&["src/a.c", "$P4_SECRET"], &[], &["P4_SECRET"])
            )]),
        ),
        // No server on the line: the configured one is unknown.
        ("p4 submit -d 'x'", json!([])),
        ("p4 set P4PORT=ssl:p4.example.com:1666", json!([])),
        ("p4 -p rsh:'p4d -r /p4root -i' submit -d x", json!([])),
    ]);
}

#[test]
fn perforce_access_changes() {
    run_table(&[
        (
            "p4 -p ssl:p4.example.com:1666 protect -i < /tmp/protect.spec",
            json!([
                read("/tmp/protect.spec"),
                grant("perforce protections at ssl:p4.example.com:1666", None),
                host_request(
                    "p4",
                    host(None, "p4.example.com", Some(1666), None),
                    "SEND",
                    payload(&[], &[("/tmp/protect.spec", false)], &[])
                )
            ]),
        ),
        // Printing the table changes nothing.
        (
            "p4 -p ssl:p4.example.com:1666 protect -o",
            json!([host_request(
                "p4",
                host(None, "p4.example.com", Some(1666), None),
                "DOWNLOAD",
                empty()
            )]),
        ),
        (
            "p4 group -i < devs.spec",
            json!([
                read(&at("devs.spec")),
                grant("perforce groups at the configured server", None)
            ]),
        ),
        (
            "p4 group -d contractors",
            json!([grant(
                "perforce group contractors at the configured server",
                None
            )]),
        ),
        (
            "p4 grant-permission -p write -g devs -d tools",
            json!([grant(
                "perforce repository permissions at the configured server",
                Some("devs")
            )]),
        ),
        ("p4 groups", json!([])),
    ]);
}

#[test]
fn store_uploads() {
    run_table(&[
        (
            "steamcmd +login lfg_buildbot +run_app_build /home/dana/acme-web/steam/app_build.vdf +quit",
            json!([url_request(
                "steamcmd",
                "https://partner.steamgames.com",
                "UPLOAD",
                payload(
                    &["lfg_buildbot"],
                    &[(&at("steam/app_build.vdf"), false)],
                    &[]
                )
            )]),
        ),
        (
            r#"steamcmd +login bot "$STEAM_PW" +run_app_build -desc "nightly" steam/app.vdf +quit"#,
            json!([url_request(
                "steamcmd",
                "https://partner.steamgames.com",
                "UPLOAD",
                payload(
                    &["nightly", "bot", "$STEAM_PW"],
                    &[(&at("steam/app.vdf"), false)],
                    &["STEAM_PW"]
                )
            )]),
        ),
        // A preview uploads nothing, but the sign-in sends the password.
        (
            "steamcmd +login bot hunter2 +run_app_build -preview steam/app.vdf +quit",
            json!([url_request(
                "steamcmd",
                "https://steampowered.com",
                "DOWNLOAD",
                payload(&["bot", "hunter2"], &[], &[])
            )]),
        ),
        (
            "steamcmd +login anonymous +app_update 740 validate +quit",
            json!([]),
        ),
        (
            "butler push Builds/Win64 studio/game:windows-beta --userversion 1.4.2",
            json!([url_request(
                "butler",
                "https://itch.io",
                "UPLOAD",
                payload(
                    &["1.4.2", "studio/game:windows-beta"],
                    &[(&at("Builds/Win64"), true)],
                    &[]
                )
            )]),
        ),
        (
            r#"BUTLER_API_KEY="$ITCH_KEY" butler push -i key.txt dist studio/game:web"#,
            json!([url_request(
                "butler",
                "https://itch.io",
                "UPLOAD",
                payload(
                    &["$ITCH_KEY", "studio/game:web"],
                    &[(&at("key.txt"), false), (&at("dist"), true)],
                    &["ITCH_KEY"]
                )
            )]),
        ),
        ("butler push --dry-run dist studio/game:web", json!([])),
    ]);
}

#[test]
fn apple_and_epic_uploads() {
    let connect = "https://appstoreconnect.apple.com";
    run_table(&[
        (
            "xcrun altool --upload-app --type ios --file build/App.ipa --apiKey 8QX4L2ABCD --apiIssuer 69a6de7e",
            json!([url_request(
                "altool",
                connect,
                "UPLOAD",
                payload(&[], &[(&at("build/App.ipa"), false)], &[])
            )]),
        ),
        (
            "xcrun altool --upload-app -f a.ipa -t ios -u me@example.com -p @env:ASC_PASSWORD",
            json!([url_request(
                "altool",
                connect,
                "UPLOAD",
                payload(
                    &["me@example.com"],
                    &[(&at("a.ipa"), false)],
                    &["ASC_PASSWORD"]
                )
            )]),
        ),
        (
            "xcrun notarytool submit build/App.zip --keychain-profile notary --wait",
            json!([url_request(
                "notarytool",
                connect,
                "UPLOAD",
                payload(&[], &[(&at("build/App.zip"), false)], &[])
            )]),
        ),
        // A listing sends only the credentials.
        (
            r#"xcrun notarytool history --apple-id me@example.com --password "$NOTARY_PW" --team-id T1"#,
            json!([url_request(
                "notarytool",
                connect,
                "DOWNLOAD",
                payload(&["me@example.com", "$NOTARY_PW"], &[], &["NOTARY_PW"])
            )]),
        ),
        (
            "xcrun notarytool history --keychain-profile notary",
            json!([]),
        ),
        ("xcrun --sdk iphoneos --find altool", json!([])),
        (
            r#"Engine/Binaries/Win64/BuildPatchTool.exe -ClientId="xyz" -ClientSecretEnvVar="BPT_SECRET" -mode=UploadBinary -BuildRoot="Builds/Win64" -CloudDir="Builds/Cloud""#,
            json!([url_request(
                "buildpatchtool",
                "https://api.epicgames.dev",
                "UPLOAD",
                payload(&["xyz"], &[(&at("Builds/Win64"), true)], &["BPT_SECRET"])
            )]),
        ),
        (
            "BuildPatchTool -mode=LabelBinary -ClientSecret=abc -Label=Live",
            json!([url_request(
                "buildpatchtool",
                "https://api.epicgames.dev",
                "PUT",
                payload(&["abc"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn git_lfs_push_uploads_the_repository() {
    run_table(&[
        (
            "git lfs push --all https://github.com/someone/backup.git",
            json!([url_request(
                "git",
                "https://github.com/someone/backup.git",
                "UPLOAD",
                repository(&[])
            )]),
        ),
        (
            "git lfs push origin feature/ocean",
            json!([origin_request("git", "UPLOAD", repository(&[]))]),
        ),
        (
            "git-lfs push origin",
            json!([origin_request("git", "UPLOAD", repository(&[]))]),
        ),
        (
            "git -C ../assets lfs push git@gitlab.com:someone/assets.git main",
            json!([url_request(
                "git",
                "git@gitlab.com:someone/assets.git",
                "UPLOAD",
                repository(&[])
            )]),
        ),
        // It moves no branch.
        ("git lfs push --dry-run origin main", json!([])),
        ("git lfs push ../mirror.git main", json!([])),
        ("git lfs track '*.psd'", json!([])),
    ]);
}
