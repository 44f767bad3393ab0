#!/usr/bin/env python3
"""Wall time of `writ hook claude-code` per call, each call a new process
(as Claude Code runs it), for an allowed Bash command (exit 0, no output):
embedded (local store; its keeper answers once the first call started
it) and against `writ serve`, each also through the `writ-hook` binary
when it sits next to `writ`.

    bench/hook/latency.py [--calls N] [--bin PATH ...] [--modes embedded,server] [--gap SECONDS]

The harness's own cost is measured first and reported apart: the same
spawn, pipe and wait for `/bin/true` and for a trivial Rust binary (read
stdin, exit; built with rustc when it is on PATH). The configurations
(each binary in each mode) run interleaved, call by call, so a change in
the machine's load hits all of them alike; give two `--bin`s to compare
builds. Each line has wall-time percentiles and the child's mean CPU time
(user + system, from rusage), which load disturbs less than wall time; it
counts the fork from Python too (see the `/bin/true` line) and is coarser
than `perf stat -e task-clock` on the same command.
The 1-minute load average is printed before and after.
By default calls follow each other at once, which keeps the machine warm;
`--gap 0.1` sleeps that long before every call, as an agent's calls are
spaced by the work between them (on a VM, waking an idle vCPU and a cold
cache cost every process, `/bin/true` too).
"""
import argparse, json, os, resource, shutil, socket, subprocess, sys, tempfile, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--calls", type=int, default=500)
parser.add_argument("--bin", action="append", help="writ binary (repeatable; default target/release/writ)")
parser.add_argument("--modes", default="embedded,server")
parser.add_argument("--no-baseline", action="store_true")
parser.add_argument("--gap", type=float, default=0.0, help="seconds to sleep before every call")
opts = parser.parse_args()
bins = opts.bin or [os.environ.get("WRIT_BIN", os.path.join(root, "target/release/writ"))]
modes = opts.modes.split(",")


def event(n):
    return json.dumps({
        "session_id": "bench", "transcript_path": "/tmp/t.jsonl", "cwd": "/tmp",
        "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": f"ls -la /tmp | head -{n % 50 + 1}"}, "tool_use_id": f"toolu_{n}"})


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def call(args, env, n, check):
    """One call: wall ms and the child's CPU ms (user + system)."""
    if opts.gap:
        time.sleep(opts.gap)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(args, input=event(n).encode(), capture_output=True, env=env)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    if check and (out.returncode != 0 or b'"deny"' in out.stdout or b'"ask"' in out.stdout):
        sys.exit(f"hook failed: {out.returncode} {out.stdout!r} {out.stderr!r}")
    return wall, cpu


def report(name, samples):
    walls = sorted(w for w, _ in samples)
    pct = lambda p: walls[min(len(walls) - 1, int(len(walls) * p / 100))]
    cpu = sum(c for _, c in samples) / len(samples)
    print(f"{name:<44} p50 {pct(50):6.2f}  p90 {pct(90):6.2f}  p99 {pct(99):6.2f}  "
          f"max {walls[-1]:6.2f} ms wall; cpu {cpu:5.2f} ms", flush=True)


def run(configs, check):
    """Runs every configuration once per round, `opts.calls` rounds."""
    samples = {name: [] for name, _, _ in configs}
    for n in range(opts.calls):
        for name, args, env in configs:
            samples[name].append(call(args, env, n, check))
    for name, _, _ in configs:
        report(name, samples[name])


print(f"{opts.calls} calls each; load average (1 min) at start: {loadavg()}", flush=True)
with tempfile.TemporaryDirectory() as tmp:
    if not opts.no_baseline:
        baseline = [("harness: /bin/true", ["/bin/true"], None)]
        if shutil.which("rustc"):
            src = os.path.join(tmp, "trivial.rs")
            with open(src, "w") as f:
                f.write("use std::io::Read;\nfn main() { let mut s = String::new(); "
                        "let _ = std::io::stdin().read_to_string(&mut s); }\n")
            subprocess.run(["rustc", "-O", "-o", os.path.join(tmp, "trivial"), src], check=True)
            baseline.append(("harness: trivial Rust binary", [os.path.join(tmp, "trivial")], None))
        run(baseline, check=False)

    configs = []
    servers = []
    try:
        for i, writ in enumerate(bins):
            label = f"[{i}] " if len(bins) > 1 else ""
            slim = os.path.join(os.path.dirname(writ), "writ-hook")
            if "embedded" in modes:
                data = os.path.join(tmp, f"embedded{i}")
                configs.append((f"{label}embedded store", [writ, "hook", "claude-code"],
                                dict(os.environ, WRIT_DATA_DIR=data)))
                if os.path.exists(slim):
                    data = os.path.join(tmp, f"embedded-slim{i}")
                    configs.append((f"{label}writ-hook, embedded store", [slim, "claude-code"],
                                    dict(os.environ, WRIT_DATA_DIR=data)))
            if "server" in modes:
                data = os.path.join(tmp, f"serve{i}")
                sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
                token = subprocess.run([writ, "tokens", "create", "--role", "agent", "--name", "hook",
                                        "--data-dir", data], capture_output=True, check=True).stdout.decode().strip()
                servers.append(subprocess.Popen([writ, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                for _ in range(100):
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz"); break
                    except OSError:
                        time.sleep(0.1)
                configs.append((f"{label}--server (writ serve)",
                                [writ, "hook", "claude-code", "--server", f"http://127.0.0.1:{port}"],
                                dict(os.environ, WRIT_TOKEN=token)))
                if os.path.exists(slim):
                    configs.append((f"{label}writ-hook --server (writ serve)",
                                    [slim, "claude-code", "--server", f"http://127.0.0.1:{port}"],
                                    dict(os.environ, WRIT_TOKEN=token)))
        run(configs, check=True)
    finally:
        for server in servers:
            server.kill()
            server.wait()
print(f"load average (1 min) at end: {loadavg()}")
