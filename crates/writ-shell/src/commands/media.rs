//! Media tools that read files and write or stream what they make of
//! them: ffmpeg and GStreamer's `gst-launch-1.0`. An output that is a
//! network URL (`rtmp://`, `srt://`, `udp://`, `icecast://`, an HTTP
//! upload, ...) sends the inputs to that host; a local output is a file
//! that carries the inputs' contents, so a later upload of it carries
//! them too (as an archive does). Media downloaders (yt-dlp, youtube-dl)
//! write what they fetch and run their `--exec` commands on it
//! ([`ytdlp`]).

mod ytdlp;

use super::{Invocation, Outcome, request, url};
use crate::args::Arg;
use crate::{FileRef, Payload, Target, flow, paths};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    match inv.program {
        "ffmpeg" => Some(ffmpeg(inv)),
        "gst-launch-1.0" | "gst-launch" | "gst-launch-0.10" => Some(gst_launch(inv)),
        "yt-dlp" | "yt-dlp_linux" | "yt-dlp_macos" | "youtube-dl" => Some(ytdlp::handle(inv)),
        _ => None,
    }
}

/// URL schemes whose output goes to another host: streaming ingest
/// (RTMP and its variants, SRT, RIST, RTSP/RTP, Icecast), raw sockets, and
/// file transfer or HTTP uploads.
const NETWORK_SCHEMES: &[&str] = &[
    "rtmp", "rtmps", "rtmpt", "rtmpe", "rtmpte", "rtmpts", "srt", "rist", "udp", "tcp", "tls",
    "sctp", "rtp", "rtsp", "rtsps", "icecast", "http", "https", "ftp", "sftp", "zmq",
];

/// The scheme of `text` when it is a URL (`rtmp://...` is `rtmp`).
fn url_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    (!scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    .then_some(scheme)
}

/// True when `text` is a URL to a network destination.
fn is_network_url(text: &str) -> bool {
    url_scheme(text).is_some_and(|scheme| {
        NETWORK_SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
    })
}

/// The method a request to an output URL uses: an HTTP upload's own
/// (`-method PUT`; ffmpeg posts by default), a stream's `UPLOAD`.
fn output_method(target: &str, http_method: Option<&str>) -> String {
    match url_scheme(target) {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            http_method.unwrap_or("POST").to_ascii_uppercase()
        }
        _ => "UPLOAD".to_owned(),
    }
}

/// ffmpeg options that take no value (`ffmpeg -h full`: its booleans and
/// the informational ones); every other option, codec and format private
/// options included, takes one. A boolean may also be negated, `-noNAME`.
const FFMPEG_SWITCHES: &[&str] = &[
    "y",
    "n",
    "re",
    "an",
    "vn",
    "sn",
    "dn",
    "shortest",
    "copyts",
    "start_at_zero",
    "xerror",
    "stdin",
    "hide_banner",
    "stats",
    "benchmark",
    "benchmark_all",
    "dump",
    "hex",
    "ignore_unknown",
    "copy_unknown",
    "recast_media",
    "bitexact",
    "accurate_seek",
    "seek_timestamp",
    "debug_ts",
    "copyinkf",
    "fix_sub_duration",
    "autorotate",
    "autoscale",
    "psnr",
    "vstats",
    "qphist",
    "find_stream_info",
    "print_graphs",
    "display_hflip",
    "display_vflip",
    "report",
    "h",
    "?",
    "help",
    "-help",
    "version",
    "buildconf",
    "formats",
    "muxers",
    "demuxers",
    "devices",
    "codecs",
    "decoders",
    "encoders",
    "bsfs",
    "protocols",
    "filters",
    "pix_fmts",
    "layouts",
    "sample_fmts",
    "dispositions",
    "colors",
    "hwaccels",
    "L",
];

/// ffmpeg formats (`-f`) that are devices or generated sources and sinks,
/// not files: screen, camera and sound capture, `lavfi` test sources,
/// players, and `null`.
const FFMPEG_DEVICES: &[&str] = &[
    "avfoundation",
    "dshow",
    "gdigrab",
    "x11grab",
    "xcbgrab",
    "kmsgrab",
    "fbdev",
    "v4l2",
    "video4linux2",
    "alsa",
    "pulse",
    "jack",
    "oss",
    "sndio",
    "openal",
    "lavfi",
    "decklink",
    "android_camera",
    "libcdio",
    "iec61883",
    "dv1394",
    "vfwcap",
    "libdc1394",
    "audiotoolbox",
    "sdl",
    "sdl2",
    "opengl",
    "xv",
    "caca",
    "null",
];

fn ffmpeg_switch(name: &str) -> bool {
    FFMPEG_SWITCHES.contains(&name)
        || name
            .strip_prefix("no")
            .is_some_and(|rest| FFMPEG_SWITCHES.contains(&rest))
}

/// `ffmpeg [OPTIONS] {[IN_OPTS] -i INPUT}... {[OUT_OPTS] OUTPUT}...`:
/// per-file options (`-f FMT`, `-method M`) apply to the next input or
/// output. Inputs are files unless they are URLs, devices (`-f
/// avfoundation -i 1:0`) or standard input (`-`, `pipe:`); `concat:a|b`
/// reads each part; `-attach FILE` puts FILE in the output. Outputs are
/// the words that are not option values: a network URL is a send of the
/// inputs to its host, `-`/`pipe:` standard output, a `-f tee` output each
/// of its `|`-separated legs (`[f=flv]rtmp://...|local.mp4`), anything
/// else a file written with the inputs' contents.
fn ffmpeg(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut inputs = Payload::default();
    let mut outputs: Vec<(&Arg, Option<&str>, Option<&str>)> = Vec::new();
    let mut format: Option<&str> = None;
    let mut method: Option<&str> = None;
    let mut args = inv.args.iter().peekable();
    while let Some(arg) = args.next() {
        let text = arg.text.as_str();
        let Some(option) = text.strip_prefix('-').filter(|o| !o.is_empty()) else {
            outputs.push((arg, format.take(), method.take()));
            continue;
        };
        // `-c:v`, `-b:a:0`: the stream specifier; `-/filter_complex F`
        // reads the value from a file.
        let name = option.split(':').next().unwrap_or(option);
        let name = name.strip_prefix('/').unwrap_or(name);
        // A switch this table lacks must not take `-i` as its value.
        if ffmpeg_switch(name) || args.peek().is_some_and(|next| next.text == "-i") {
            continue;
        }
        let Some(value) = args.next() else {
            break;
        };
        match name {
            "i" => {
                ffmpeg_input(inv, &value.text, format.take(), &mut inputs, &mut outcome);
                method = None;
            }
            "f" => format = Some(value.text.as_str()),
            "method" => method = Some(value.text.as_str()),
            "attach" => {
                let path = inv.path(&value.text);
                outcome.read(path.clone(), false);
                flow::push_file(
                    &mut inputs,
                    FileRef {
                        path,
                        recursive: false,
                        excludes: Vec::new(),
                    },
                );
            }
            _ => {}
        }
    }
    let mut stdout = Payload::default();
    for (output, format, method) in outputs {
        if format.is_some_and(|f| FFMPEG_DEVICES.contains(&f)) {
            continue;
        }
        let legs: Vec<&str> = if format == Some("tee") {
            output.text.split('|').map(tee_leg).collect()
        } else {
            vec![output.text.as_str()]
        };
        for leg in legs {
            media_output(inv, leg, method, &inputs, &mut stdout, &mut outcome);
        }
    }
    outcome.stdout = Some(stdout);
    outcome
}

/// One leg of a `tee` output without its `[key=value:...]` options.
fn tee_leg(leg: &str) -> &str {
    let leg = leg.trim();
    match leg.strip_prefix('[').and_then(|rest| rest.split_once(']')) {
        Some((_, target)) => target,
        None => leg,
    }
}

/// An ffmpeg input: what it reads and carries into the outputs.
fn ffmpeg_input(
    inv: &Invocation<'_>,
    text: &str,
    format: Option<&str>,
    inputs: &mut Payload,
    outcome: &mut Outcome,
) {
    if format.is_some_and(|f| FFMPEG_DEVICES.contains(&f)) {
        return;
    }
    if text == "-" || text.starts_with("pipe:") || text.starts_with("fd:") {
        flow::merge(inputs, inv.stdin);
        return;
    }
    let files: Vec<&str> = if let Some(parts) = text.strip_prefix("concat:") {
        parts.split('|').collect()
    } else if let Some(path) = text.strip_prefix("file:") {
        vec![path]
    } else if url_scheme(text).is_some() || text.starts_with("/dev/") {
        return;
    } else {
        vec![text]
    };
    for file in files.into_iter().filter(|f| !f.is_empty()) {
        let path = inv.path(file);
        outcome.read(path.clone(), false);
        flow::push_file(
            inputs,
            FileRef {
                path,
                recursive: false,
                excludes: Vec::new(),
            },
        );
    }
}

/// Where a media tool's output goes: a send of `carried` to a network URL
/// (an HTTP one with `http_method`), standard output, or a local file
/// that then holds `carried`.
fn media_output(
    inv: &Invocation<'_>,
    target: &str,
    http_method: Option<&str>,
    carried: &Payload,
    stdout: &mut Payload,
    outcome: &mut Outcome,
) {
    if target.is_empty() {
        return;
    }
    if target == "-" || target.starts_with("pipe:") || target.starts_with("fd:") {
        flow::merge(stdout, carried);
        return;
    }
    if is_network_url(target) {
        outcome.effects.push(request(
            inv.program,
            url(target),
            &output_method(target, http_method),
            carried.clone(),
            false,
        ));
        return;
    }
    let target = target.strip_prefix("file:").unwrap_or(target);
    if url_scheme(target).is_some() {
        return;
    }
    let path = inv.path(target);
    if paths::is_special_device(&path) || path.starts_with("/dev/") {
        return;
    }
    outcome.contents.push((path.clone(), carried.clone()));
    outcome.write(path, false);
}

/// One element of a GStreamer pipeline description and its properties.
struct Element<'a> {
    name: &'a str,
    properties: Vec<(&'a str, &'a str)>,
}

impl<'a> Element<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.properties
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }
}

/// A `name=value` property word; caps (`video/x-raw,width=640`) are not.
fn property(word: &str) -> Option<(&str, &str)> {
    let (key, value) = word.split_once('=')?;
    (!key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':')))
    .then_some((key, value))
}

/// The elements of a pipeline description: `!` links them, a word that is
/// not a property starts the next one (pad references such as `t.` and
/// caps are elements nothing here knows).
fn pipeline(args: &[Arg]) -> Vec<Element<'_>> {
    let mut elements: Vec<Element<'_>> = Vec::new();
    for arg in args {
        let word = arg.text.as_str();
        if word == "!" || word.starts_with('-') {
            continue;
        }
        match (property(word), elements.last_mut()) {
            (Some(pair), Some(element)) => element.properties.push(pair),
            _ => elements.push(Element {
                name: word.trim_end_matches('!'),
                properties: Vec::new(),
            }),
        }
    }
    elements
}

/// A `gst-launch-1.0` pipeline: the files its sources read
/// (`filesrc`/`multifilesrc`/`splitmuxsrc location=F`, a `file://` URI of
/// `uridecodebin`/`playbin`/`urisourcebin`) go to each sink: network
/// sinks send them to the host they name (`rtmpsink`/`rtmp2sink`
/// `location=URL`, `srtsink uri=`, `udpsink`/`tcpclientsink host= port=`,
/// `multiudpsink clients=`, `shout2send ip= port= mount=`,
/// `souphttpclientsink` (a PUT) and `curlhttpsink` (a POST) `location=`,
/// `rtspclientsink`, `whipsink`, `awss3sink bucket= key=`); file sinks
/// (`filesink`, `multifilesink`, `splitmuxsink`, the HLS sinks) write
/// files that then hold them; `fdsink` prints them.
fn gst_launch(inv: &Invocation<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let elements = pipeline(inv.args);
    let mut carried = Payload::default();
    for element in &elements {
        let source = match element.name {
            "filesrc" | "multifilesrc" | "splitmuxsrc" => element.get("location"),
            "uridecodebin" | "uridecodebin3" | "urisourcebin" | "playbin" | "playbin3" => element
                .get("uri")
                .and_then(|uri| uri.strip_prefix("file://")),
            _ => None,
        };
        if let Some(location) = source {
            let path = inv.path(location);
            outcome.read(path.clone(), false);
            flow::push_file(
                &mut carried,
                FileRef {
                    path,
                    recursive: false,
                    excludes: Vec::new(),
                },
            );
        }
    }
    let mut stdout = Payload::default();
    for element in &elements {
        gst_sink(inv, element, &carried, &mut stdout, &mut outcome);
    }
    outcome.stdout = Some(stdout);
    outcome
}

/// What one GStreamer sink element does with `carried`.
fn gst_sink(
    inv: &Invocation<'_>,
    element: &Element<'_>,
    carried: &Payload,
    stdout: &mut Payload,
    outcome: &mut Outcome,
) {
    let send = |target: Target, method: &str, outcome: &mut Outcome| {
        outcome
            .effects
            .push(request(inv.program, target, method, carried.clone(), false));
    };
    let host_port = |host: &str, port: Option<&str>| Target::Host {
        user: None,
        host: host.to_owned(),
        port: port.and_then(|p| p.parse().ok()),
        path: None,
    };
    match element.name {
        "rtmpsink" | "rtmp2sink" | "rtspclientsink" | "curlftpsink" | "curlsftpsink" => {
            if let Some(location) = element.get("location") {
                send(url(location), "UPLOAD", outcome);
            }
        }
        "souphttpclientsink" => {
            if let Some(location) = element.get("location") {
                send(url(location), "PUT", outcome);
            }
        }
        "curlhttpsink" => {
            if let Some(location) = element.get("location") {
                send(url(location), "POST", outcome);
            }
        }
        "srtsink" | "srtclientsink" | "rtpsink" => {
            if let Some(uri) = element.get("uri") {
                send(url(uri), "UPLOAD", outcome);
            }
        }
        "whipsink" | "whipclientsink" | "whipwebrtcsink" => {
            let endpoint = element
                .get("whip-endpoint")
                .or_else(|| element.get("signaller::whip-endpoint"));
            if let Some(endpoint) = endpoint {
                send(url(endpoint), "POST", outcome);
            }
        }
        "udpsink" | "tcpclientsink" => {
            let host = element.get("host").unwrap_or("localhost");
            send(host_port(host, element.get("port")), "UPLOAD", outcome);
        }
        "ristsink" => {
            let host = element.get("address").unwrap_or("localhost");
            send(host_port(host, element.get("port")), "UPLOAD", outcome);
        }
        "multiudpsink" => {
            for client in element.get("clients").unwrap_or_default().split(',') {
                let (host, port) = match client.rsplit_once(':') {
                    Some((host, port)) => (host, Some(port)),
                    None => (client, None),
                };
                if !host.is_empty() {
                    send(host_port(host, port), "UPLOAD", outcome);
                }
            }
        }
        "shout2send" => {
            let host = element.get("ip").unwrap_or("localhost");
            let port = element.get("port").unwrap_or("8000");
            let mount = element.get("mount").unwrap_or_default();
            let mount = mount.trim_start_matches('/');
            send(
                url(&format!("icecast://{host}:{port}/{mount}")),
                "UPLOAD",
                outcome,
            );
        }
        "awss3sink" => {
            if let Some(bucket) = element.get("bucket") {
                let key = element.get("key").unwrap_or_default();
                send(url(&format!("s3://{bucket}/{key}")), "UPLOAD", outcome);
            }
        }
        "filesink" | "multifilesink" | "splitmuxsink" | "hlssink" | "hlssink2" | "hlssink3" => {
            for key in ["location", "playlist-location"] {
                if let Some(location) = element.get(key) {
                    media_output(inv, location, None, carried, stdout, outcome);
                }
            }
        }
        "fdsink" if element.get("fd").is_none_or(|fd| fd == "1") => {
            flow::merge(stdout, carried);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tee_legs_lose_their_options() {
        assert_eq!(tee_leg("[f=flv:onfail=ignore]rtmp://a/b"), "rtmp://a/b");
        assert_eq!(tee_leg(" local.mp4"), "local.mp4");
    }

    #[test]
    fn ffmpeg_switches_and_their_negations_take_no_value() {
        assert!(ffmpeg_switch("re"));
        assert!(ffmpeg_switch("nostdin"));
        assert!(ffmpeg_switch("noautorotate"));
        assert!(!ffmpeg_switch("method"));
        assert!(!ffmpeg_switch("nr"));
    }

    #[test]
    fn network_urls_by_scheme() {
        assert!(is_network_url("rtmp://a.rtmp.youtube.com/live2/k"));
        assert!(is_network_url("SRT://host:9000"));
        assert!(!is_network_url("unix:///tmp/sock"));
        assert!(!is_network_url("out/clip.mp4"));
        assert_eq!(output_method("https://h/x", Some("put")), "PUT");
        assert_eq!(output_method("https://h/x", None), "POST");
        assert_eq!(output_method("rtmp://h/x", Some("PUT")), "UPLOAD");
    }

    #[test]
    fn properties_are_not_caps() {
        assert_eq!(property("location=a.flv"), Some(("location", "a.flv")));
        assert_eq!(property("video/x-raw,width=640"), None);
    }
}
