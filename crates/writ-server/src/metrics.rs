//! Prometheus counters, rendered in the text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    decisions: BTreeMap<(String, String), u64>,
    reasons: BTreeMap<String, u64>,
    reviews: BTreeMap<String, u64>,
    /// Observe-only actions whose route was not `allow`, by runtime and reason.
    violations: BTreeMap<(String, String), u64>,
    /// Rules in `@mode("shadow")` that fired, by reason and the route they would have set.
    shadowed: BTreeMap<(String, String), u64>,
    latency: BTreeMap<&'static str, Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A counter family with one label, in the text exposition format.
fn counter1(out: &mut String, name: &str, help: &str, key: &str, values: &BTreeMap<String, u64>) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for (value, n) in values {
        let _ = writeln!(out, "{name}{{{key}=\"{}\"}} {n}", label(value));
    }
}

/// A counter family with two labels, in the text exposition format.
fn counter2(
    out: &mut String,
    name: &str,
    help: &str,
    [k1, k2]: [&str; 2],
    values: &BTreeMap<(String, String), u64>,
) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for ((v1, v2), n) in values {
        let _ = writeln!(
            out,
            "{name}{{{k1}=\"{}\",{k2}=\"{}\"}} {n}",
            label(v1),
            label(v2)
        );
    }
}

impl Metrics {
    pub fn decision(&self, route: &str, mode: &str, reasons: &[String]) {
        if let Ok(mut m) = self.inner.lock() {
            *m.decisions
                .entry((route.to_owned(), mode.to_owned()))
                .or_default() += 1;
            for r in reasons {
                *m.reasons.entry(r.clone()).or_default() += 1;
            }
        }
    }

    /// Counts an observed action policy would not have allowed, once per reason.
    pub fn violation(&self, runtime: &str, reasons: &[String]) {
        if let Ok(mut m) = self.inner.lock() {
            for r in reasons {
                *m.violations
                    .entry((runtime.to_owned(), r.clone()))
                    .or_default() += 1;
            }
        }
    }

    /// Counts a shadow-mode rule that fired (reported, not deciding).
    pub fn shadowed(&self, reason: &str, route: &str) {
        if let Ok(mut m) = self.inner.lock() {
            *m.shadowed
                .entry((reason.to_owned(), route.to_owned()))
                .or_default() += 1;
        }
    }

    pub fn review(&self, decision: &str) {
        if let Ok(mut m) = self.inner.lock() {
            *m.reviews.entry(decision.to_owned()).or_default() += 1;
        }
    }

    pub fn latency(&self, checkpoint: &'static str, elapsed: Duration) {
        if let Ok(mut m) = self.inner.lock() {
            let h = m.latency.entry(checkpoint).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound
                    && let Some(c) = h.counts.get_mut(i)
                {
                    *c += 1;
                }
            }
            h.count += 1;
            h.sum += secs;
        }
    }

    pub fn render(&self, pending: i64, ledger_size: u64) -> String {
        let mut out = String::new();
        let Ok(m) = self.inner.lock() else {
            return out;
        };
        counter2(
            &mut out,
            "writ_decisions_total",
            "Decisions by route and deployment mode.",
            ["route", "mode"],
            &m.decisions,
        );
        counter1(
            &mut out,
            "writ_decision_reasons_total",
            "Reason codes of decisions.",
            "reason",
            &m.reasons,
        );
        counter2(
            &mut out,
            "writ_violations_total",
            "Observed (observe-only) actions whose route was not allow, by runtime and reason.",
            ["runtime", "reason"],
            &m.violations,
        );
        counter2(
            &mut out,
            "writ_shadow_rules_total",
            "Rules in shadow mode that fired, by reason and the route they would have set.",
            ["reason", "route"],
            &m.shadowed,
        );
        counter1(
            &mut out,
            "writ_reviews_total",
            "Approvals granted and denied.",
            "decision",
            &m.reviews,
        );
        let _ = writeln!(
            out,
            "# HELP writ_pending_approvals Actions waiting for approval.\n# TYPE writ_pending_approvals gauge\nwrit_pending_approvals {pending}"
        );
        let _ = writeln!(
            out,
            "# HELP writ_ledger_size Leaves in the Merkle log.\n# TYPE writ_ledger_size gauge\nwrit_ledger_size {ledger_size}"
        );
        let _ = writeln!(
            out,
            "# HELP writ_checkpoint_duration_seconds Time to handle a checkpoint request.\n# TYPE writ_checkpoint_duration_seconds histogram"
        );
        for (checkpoint, h) in &m.latency {
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "writ_checkpoint_duration_seconds_bucket{{checkpoint=\"{checkpoint}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "writ_checkpoint_duration_seconds_bucket{{checkpoint=\"{checkpoint}\",le=\"+Inf\"}} {}\nwrit_checkpoint_duration_seconds_sum{{checkpoint=\"{checkpoint}\"}} {}\nwrit_checkpoint_duration_seconds_count{{checkpoint=\"{checkpoint}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_in_the_text_exposition_format() {
        let m = Metrics::default();
        m.decision("block", "enforce", &["EXFIL_SECRET".to_owned()]);
        m.violation("otel", &["A\"B".to_owned()]);
        m.shadowed("TRIAL", "block");
        m.review("grant");
        let text = m.render(2, 7);
        for line in [
            "# HELP writ_decisions_total Decisions by route and deployment mode.\n# TYPE writ_decisions_total counter\nwrit_decisions_total{route=\"block\",mode=\"enforce\"} 1\n",
            "# TYPE writ_decision_reasons_total counter\nwrit_decision_reasons_total{reason=\"EXFIL_SECRET\"} 1\n",
            "writ_violations_total{runtime=\"otel\",reason=\"A\\\"B\"} 1\n",
            "writ_shadow_rules_total{reason=\"TRIAL\",route=\"block\"} 1\n",
            "# TYPE writ_reviews_total counter\nwrit_reviews_total{decision=\"grant\"} 1\n",
            "writ_pending_approvals 2\n",
            "writ_ledger_size 7\n",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
    }
}
