//! Rough timing of `scan_text` on ~1 KB inputs: `cargo run --release -p writ-detect --example scan_speed`.

use std::hint::black_box;
use std::time::Instant;

use writ_detect::sensitivity::scan_text;

fn main() {
    let prose = "The quarterly report is attached. Please review the numbers before Friday; \
                 we shipped 1,204 orders in March and the backlog is down to 37 tickets. "
        .repeat(7);
    let json = r#"{"user":"dana","action":"deploy","ts":"2024-06-15T10:22:33Z","env":"prod","note":"rolled back \"web\" after 3 errors\n"}"#.repeat(7);
    let form = "api_dev_key=abc123&api_option=paste&api_paste_code=hello%20world%0Aline+two%0A&api_paste_name=notes".repeat(10);
    let emails = "contact lee@brightmail.io or ops@shipfast-logistics.com, card 4111 1111 1111 1111, ssn 078-05-1120. ".repeat(10);
    let secret = format!("{}AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", prose);
    for (name, text) in [
        ("prose", &prose),
        ("json", &json),
        ("form-encoded", &form),
        ("emails+pii", &emails),
        ("prose+aws key", &secret),
    ] {
        // Best of several rounds: the machine may be busy.
        let n = 5_000;
        let mut best = f64::MAX;
        for _ in 0..10 {
            let t = Instant::now();
            for _ in 0..n {
                black_box(scan_text(black_box(text)));
            }
            best = best.min(t.elapsed().as_secs_f64() / f64::from(n) * 1e6);
        }
        println!(
            "{name:>14}: {} bytes, {best:.2} µs/scan (best of 10)",
            text.len()
        );
    }
}
