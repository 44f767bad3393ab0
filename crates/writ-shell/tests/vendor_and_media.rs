//! Table tests for vendor CLIs that send to a host they imply (CircleCI,
//! Buildkite, JFrog, twurl, Cloudinary, youtube-upload, OSF, Globus) and
//! for media tools that stream or write what they read (ffmpeg,
//! GStreamer). Each case is a command line and the exact effects `analyze`
//! must report, run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::json;

use crate::common;
use common::*;

#[test]
fn circleci() {
    run_table(&[
        // The secret comes on standard input.
        (
            "printf %s \"$AWS_SECRET_ACCESS_KEY\" | circleci context store-secret github acme deploy AWS_SECRET_ACCESS_KEY",
            json!([url_request(
                "circleci",
                "https://circleci.com/api/v2/context/deploy/environment-variable/AWS_SECRET_ACCESS_KEY",
                "PUT",
                payload(
                    &["AWS_SECRET_ACCESS_KEY", "$AWS_SECRET_ACCESS_KEY"],
                    &[],
                    &["AWS_SECRET_ACCESS_KEY"]
                )
            )]),
        ),
        (
            "circleci --host https://ci.acme.dev context store-secret --org-id 1234 deploy TOKEN < token.txt",
            json!([
                read(&at("token.txt")),
                url_request(
                    "circleci",
                    "https://ci.acme.dev/api/v2/context/deploy/environment-variable/TOKEN",
                    "PUT",
                    payload(&["TOKEN"], &[(&at("token.txt"), false)], &[])
                )
            ]),
        ),
        (
            "circleci context remove-secret github acme deploy OLD",
            json!([url_request(
                "circleci",
                "https://circleci.com/api/v2/context/deploy/environment-variable/OLD",
                "DELETE",
                payload(&["OLD"], &[], &[])
            )]),
        ),
        (
            "circleci pipeline run acme web --branch main",
            json!([url_request(
                "circleci",
                "https://circleci.com/api/v2/pipeline",
                "POST",
                payload(
                    &["pipeline", "run", "acme", "web", "--branch", "main"],
                    &[],
                    &[]
                )
            )]),
        ),
        (
            "circleci orb publish orb.yml acme/tools@1.2.0 --token \"$CIRCLE_TOKEN\"",
            json!([url_request(
                "circleci",
                "https://circleci.com/graphql-unstable",
                "UPLOAD",
                payload(
                    &["$CIRCLE_TOKEN"],
                    &[(&at("orb.yml"), false)],
                    &["CIRCLE_TOKEN"]
                )
            )]),
        ),
        (
            "circleci policy push ./policies --owner-id abc",
            json!([url_request(
                "circleci",
                "https://circleci.com/api/v1/owner/policy",
                "UPLOAD",
                payload(&[], &[(&at("policies"), true)], &[])
            )]),
        ),
        // Local commands and reads are not requests.
        ("circleci context list github acme", json!([])),
        (
            "circleci config validate .circleci/config.yml",
            json!([read(&at(".circleci/config.yml"))]),
        ),
    ]);
}

#[test]
fn buildkite() {
    run_table(&[
        (
            "bk build new --pipeline fleet-api --branch feature/x --message 'Rerun' --yes",
            json!([url_request(
                "bk",
                "https://api.buildkite.com/v2/builds",
                "POST",
                payload(
                    &[
                        "build",
                        "new",
                        "--pipeline",
                        "fleet-api",
                        "--branch",
                        "feature/x",
                        "--message",
                        "Rerun",
                        "--yes"
                    ],
                    &[],
                    &[]
                )
            )]),
        ),
        (
            "bk build create -p acme/web -f ci/build.env",
            json!([url_request(
                "bk",
                "https://api.buildkite.com/v2/organizations/acme/pipelines/web/builds",
                "POST",
                payload(
                    &["build", "create", "-p", "acme/web", "-f", "ci/build.env"],
                    &[(&at("ci/build.env"), false)],
                    &[]
                )
            )]),
        ),
        (
            "bk api /organizations/acme/pipelines -X POST -d '{\"name\":\"x\"}'",
            json!([url_request(
                "bk",
                "https://api.buildkite.com/v2/organizations/acme/pipelines",
                "POST",
                payload(&["{\"name\":\"x\"}"], &[], &[])
            )]),
        ),
        ("bk build view 42 --pipeline web", json!([])),
        (
            "buildkite-agent artifact upload 'dist/*.tgz;logs/run.log'",
            json!([url_request(
                "buildkite-agent",
                "https://agent.buildkite.com/v3/jobs/artifacts",
                "UPLOAD",
                payload(
                    &[],
                    &[(&at("dist/*.tgz"), false), (&at("logs/run.log"), false)],
                    &[]
                )
            )]),
        ),
        (
            "buildkite-agent artifact upload report.html s3://ci-artifacts/web",
            json!([url_request(
                "buildkite-agent",
                "s3://ci-artifacts/web",
                "UPLOAD",
                payload(&[], &[(&at("report.html"), false)], &[])
            )]),
        ),
        (
            "buildkite-agent meta-data set release-notes \"$NOTES\"",
            json!([url_request(
                "buildkite-agent",
                "https://agent.buildkite.com/v3/jobs/data/set",
                "POST",
                payload(&["release-notes", "$NOTES"], &[], &["NOTES"])
            )]),
        ),
    ]);
}

#[test]
fn jfrog() {
    let token = "$VENDOR_TOKEN";
    run_table(&[
        (
            "jf rt u data/customers.csv generic-local/exports/ --url https://trial.jfrog.io/artifactory --access-token \"$VENDOR_TOKEN\"",
            json!([
                read_tree(&at("data/customers.csv")),
                url_request(
                    "jf",
                    "https://trial.jfrog.io/artifactory/generic-local/exports/",
                    "UPLOAD",
                    payload(
                        &[token],
                        &[(&at("data/customers.csv"), true)],
                        &["VENDOR_TOKEN"]
                    )
                )
            ]),
        ),
        (
            "jfrog rt upload 'build/*.zip' libs/ --url=https://art.acme.dev/artifactory/ --recursive=false --props 'team=web'",
            json!([
                read(&at("build/*.zip")),
                url_request(
                    "jfrog",
                    "https://art.acme.dev/artifactory/libs/",
                    "UPLOAD",
                    payload(&["team=web"], &[(&at("build/*.zip"), false)], &[])
                )
            ]),
        ),
        // The configured server cannot be placed: only what is read.
        (
            "jf rt u dist/app.tgz libs/",
            json!([read_tree(&at("dist/app.tgz"))]),
        ),
        (
            "jf rt u dist/app.tgz libs/ --url https://x.jfrog.io/artifactory --dry-run",
            json!([read_tree(&at("dist/app.tgz"))]),
        ),
        (
            "jf rt dl libs/app.tgz vendor/ --url https://x.jfrog.io/artifactory",
            json!([
                url_request(
                    "jf",
                    "https://x.jfrog.io/artifactory/libs/app.tgz",
                    "DOWNLOAD",
                    empty()
                ),
                write(&at("vendor"))
            ]),
        ),
        (
            "jf rt del libs/old/ --url https://x.jfrog.io/artifactory",
            json!([url_request(
                "jf",
                "https://x.jfrog.io/artifactory/libs/old/",
                "DELETE",
                payload(&["libs/old/"], &[], &[])
            )]),
        ),
    ]);
}

#[test]
fn twurl() {
    run_table(&[
        (
            "twurl -d 'status=Fire contained' /1.1/statuses/update.json",
            json!([url_request(
                "twurl",
                "https://api.twitter.com/1.1/statuses/update.json",
                "POST",
                payload(&["status=Fire contained"], &[], &[])
            )]),
        ),
        (
            "twurl -H https://ads-api.x.com -X DELETE /12/accounts/abc/campaigns/1",
            json!([url_request(
                "twurl",
                "https://ads-api.x.com/12/accounts/abc/campaigns/1",
                "DELETE",
                empty()
            )]),
        ),
        (
            "twurl -H upload.twitter.com -f clip.mp4 -F media /1.1/media/upload.json",
            json!([url_request(
                "twurl",
                "https://upload.twitter.com/1.1/media/upload.json",
                "POST",
                payload(&[], &[(&at("clip.mp4"), false)], &[])
            )]),
        ),
        (
            "twurl /1.1/statuses/home_timeline.json",
            json!([url_request(
                "twurl",
                "https://api.twitter.com/1.1/statuses/home_timeline.json",
                "GET",
                empty()
            )]),
        ),
        (
            "twurl authorize --consumer-key k --consumer-secret s",
            json!([]),
        ),
    ]);
}

#[test]
fn cloudinary_youtube_osf() {
    run_table(&[
        (
            "cld uploader upload embargo/photo.jpg public_id=pier",
            json!([url_request(
                "cld",
                "https://api.cloudinary.com/v1_1/auto/upload",
                "UPLOAD",
                payload(
                    &["public_id=pier"],
                    &[(&at("embargo/photo.jpg"), false)],
                    &[]
                )
            )]),
        ),
        (
            "cld -c cloudinary://123:$CLD_SECRET@tidewater upload_dir photos",
            json!([url_request(
                "cld",
                "https://api.cloudinary.com/v1_1/tidewater/auto/upload",
                "UPLOAD",
                payload(
                    &["cloudinary://123:$CLD_SECRET@tidewater"],
                    &[(&at("photos"), true)],
                    &["CLD_SECRET"]
                )
            )]),
        ),
        (
            "cld sync --push out/images site/images",
            json!([url_request(
                "cld",
                "https://api.cloudinary.com/v1_1/auto/upload",
                "UPLOAD",
                payload(&[], &[(&at("out/images"), true)], &[])
            )]),
        ),
        (
            "cld admin delete_resources pier-1 pier-2",
            json!([url_request(
                "cld",
                "https://api.cloudinary.com/v1_1/resources",
                "DELETE",
                payload(&["pier-1", "pier-2"], &[], &[])
            )]),
        ),
        ("cld admin resources", json!([])),
        (
            "youtube-upload --title 'Council' --privacy unlisted --thumbnail thumb.png out/council.mp4",
            json!([url_request(
                "youtube-upload",
                "https://www.googleapis.com/upload/youtube/v3/videos",
                "UPLOAD",
                payload(
                    &["Council"],
                    &[(&at("thumb.png"), false), (&at("out/council.mp4"), false)],
                    &[]
                )
            )]),
        ),
        (
            "youtube-upload -t Council out/council.mp4",
            json!([public_request(
                "youtube-upload",
                "https://www.googleapis.com/upload/youtube/v3/videos",
                "UPLOAD",
                payload(&["Council"], &[(&at("out/council.mp4"), false)], &[])
            )]),
        ),
        (
            "osf -p q7x4m upload results/fig2.pdf figures/fig2.pdf",
            json!([url_request(
                "osf",
                "https://files.osf.io/v1/resources/q7x4m/providers/osfstorage/figures/fig2.pdf",
                "UPLOAD",
                payload(&[], &[(&at("results/fig2.pdf"), false)], &[])
            )]),
        ),
        (
            "OSF_PASSWORD=\"$OSF_PW\" osf -p q7x4m upload -r data/bids osfstorage/bids",
            json!([url_request(
                "osf",
                "https://files.osf.io/v1/resources/q7x4m/providers/osfstorage/bids",
                "UPLOAD",
                payload(&["$OSF_PW"], &[(&at("data/bids"), true)], &["OSF_PW"])
            )]),
        ),
        (
            "osf -p q7x4m fetch osfstorage/fig2.pdf local/fig2.pdf",
            json!([write(&at("local/fig2.pdf"))]),
        ),
        ("osf -p q7x4m list", json!([])),
    ]);
}

#[test]
fn globus() {
    run_table(&[
        (
            "globus transfer 5f1e:/project/derivatives/ a9b8:/shared/ --recursive --label 'to partner'",
            json!([url_request(
                "globus",
                "https://transfer.api.globus.org/v0.10/transfer",
                "UPLOAD",
                payload(
                    &["to partner", "5f1e:/project/derivatives/", "a9b8:/shared/"],
                    &[],
                    &[]
                )
            )]),
        ),
        // This machine's own endpoint: its files go.
        (
            "globus transfer \"$(globus endpoint local-id):~/data/raw\" a9b8:/in/ -r",
            json!([
                read_tree("/home/dana/data/raw"),
                url_request(
                    "globus",
                    "https://transfer.api.globus.org/v0.10/transfer",
                    "UPLOAD",
                    payload(&["a9b8:/in/"], &[("/home/dana/data/raw", true)], &[])
                )
            ]),
        ),
        (
            "globus transfer a9b8:/in/x.csv \"$(globus endpoint local-id):/home/dana/in/x.csv\"",
            json!([
                write("/home/dana/in/x.csv"),
                url_request(
                    "globus",
                    "https://transfer.api.globus.org/v0.10/transfer",
                    "DOWNLOAD",
                    empty()
                )
            ]),
        ),
        ("globus transfer 5f1e:/a a9b8:/b --dry-run", json!([])),
        ("globus ls 5f1e:/project", json!([])),
    ]);
}

#[test]
fn ffmpeg() {
    let clip = at("out/clip.mp4");
    run_table(&[
        (
            "ffmpeg -re -i out/clip.mp4 -c:v libx264 -b:v 3000k -f flv rtmp://a.rtmp.youtube.com/live2/key",
            json!([
                read(&clip),
                url_request(
                    "ffmpeg",
                    "rtmp://a.rtmp.youtube.com/live2/key",
                    "UPLOAD",
                    payload(&[], &[(&clip, false)], &[])
                )
            ]),
        ),
        (
            "ffmpeg -i out/clip.mp4 -c copy -f mp4 -method PUT https://storage.example.com/v/clip.mp4",
            json!([
                read(&clip),
                url_request(
                    "ffmpeg",
                    "https://storage.example.com/v/clip.mp4",
                    "PUT",
                    payload(&[], &[(&clip, false)], &[])
                )
            ]),
        ),
        // A local output holds the input: a later upload carries it.
        (
            "ffmpeg -y -i sources/interview.mov -vn audio.m4a && curl -T audio.m4a https://paste.example.com",
            json!([
                read(&at("sources/interview.mov")),
                write(&at("audio.m4a")),
                url_request(
                    "curl",
                    "https://paste.example.com",
                    "PUT",
                    payload(
                        &[],
                        &[
                            (&at("audio.m4a"), false),
                            (&at("sources/interview.mov"), false)
                        ],
                        &[]
                    )
                )
            ]),
        ),
        // tee: every leg.
        (
            "ffmpeg -i talk.mp4 -c copy -f tee '[f=flv]rtmp://live.example.com/app/k|[f=mp4]archive.mp4'",
            json!([
                read(&at("talk.mp4")),
                url_request(
                    "ffmpeg",
                    "rtmp://live.example.com/app/k",
                    "UPLOAD",
                    payload(&[], &[(&at("talk.mp4"), false)], &[])
                ),
                write(&at("archive.mp4"))
            ]),
        ),
        // A device input carries no file.
        (
            "ffmpeg -f avfoundation -i 1:0 -f flv srt://ingest.example.com:9000",
            json!([url_request(
                "ffmpeg",
                "srt://ingest.example.com:9000",
                "UPLOAD",
                empty()
            )]),
        ),
        (
            "ffmpeg -i 'concat:a.ts|b.ts' -c copy -f null /dev/null",
            json!([read(&at("a.ts")), read(&at("b.ts"))]),
        ),
        // A switch the table lacks does not swallow `-i`.
        (
            "ffmpeg -some_new_switch -i in.mp4 -strict -2 out.mp4",
            json!([read(&at("in.mp4")), write(&at("out.mp4"))]),
        ),
        (
            "ffmpeg -i https://cdn.example.com/v.m3u8 -c copy v.mp4",
            json!([write(&at("v.mp4"))]),
        ),
    ]);
}

#[test]
fn gstreamer() {
    run_table(&[
        (
            "gst-launch-1.0 filesrc location=out/council.flv ! flvdemux name=d d.video ! queue ! flvmux ! rtmpsink location=rtmp://a.rtmp.youtube.com/live2/k",
            json!([
                read(&at("out/council.flv")),
                url_request(
                    "gst-launch-1.0",
                    "rtmp://a.rtmp.youtube.com/live2/k",
                    "UPLOAD",
                    payload(&[], &[(&at("out/council.flv"), false)], &[])
                )
            ]),
        ),
        (
            "gst-launch-1.0 -e filesrc location=a.ts ! tsdemux ! udpsink host=203.0.113.9 port=5000",
            json!([
                read(&at("a.ts")),
                host_request(
                    "gst-launch-1.0",
                    host(None, "203.0.113.9", Some(5000), None),
                    "UPLOAD",
                    payload(&[], &[(&at("a.ts"), false)], &[])
                )
            ]),
        ),
        (
            "gst-launch-1.0 uridecodebin uri=file:///home/dana/v.mp4 ! x264enc ! souphttpclientsink location=https://up.example.com/v",
            json!([
                read("/home/dana/v.mp4"),
                url_request(
                    "gst-launch-1.0",
                    "https://up.example.com/v",
                    "PUT",
                    payload(&[], &[("/home/dana/v.mp4", false)], &[])
                )
            ]),
        ),
        (
            "gst-launch-1.0 filesrc location=in.wav ! wavparse ! lamemp3enc ! shout2send ip=radio.example.com port=8000 mount=/live",
            json!([
                read(&at("in.wav")),
                url_request(
                    "gst-launch-1.0",
                    "icecast://radio.example.com:8000/live",
                    "UPLOAD",
                    payload(&[], &[(&at("in.wav"), false)], &[])
                )
            ]),
        ),
        (
            "gst-launch-1.0 filesrc location=in.mov ! qtdemux ! filesink location=out.h264",
            json!([read(&at("in.mov")), write(&at("out.h264"))]),
        ),
        (
            "gst-launch-1.0 videotestsrc ! x264enc ! srtsink uri=srt://ingest.example.com:7001",
            json!([url_request(
                "gst-launch-1.0",
                "srt://ingest.example.com:7001",
                "UPLOAD",
                empty()
            )]),
        ),
    ]);
}
