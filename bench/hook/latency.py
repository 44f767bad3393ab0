#!/usr/bin/env python3
"""Wall time of `writ hook claude-code` per call, each call a new process
(as Claude Code runs it), for an allowed Bash command (exit 0, no output):
embedded (local store) and against `writ serve`.

    bench/hook/latency.py [CALLS]      # needs target/release/writ
"""
import json, os, socket, subprocess, sys, tempfile, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
writ = os.environ.get("WRIT_BIN", os.path.join(root, "target/release/writ"))
calls = int(sys.argv[1]) if len(sys.argv) > 1 else 300


def event(n):
    return json.dumps({
        "session_id": "bench", "transcript_path": "/tmp/t.jsonl", "cwd": "/tmp",
        "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": f"ls -la /tmp | head -{n % 50 + 1}"}, "tool_use_id": f"toolu_{n}"})


def measure(args, env):
    times = []
    for n in range(calls):
        started = time.perf_counter()
        out = subprocess.run(args, input=event(n).encode(), capture_output=True, env=env)
        times.append((time.perf_counter() - started) * 1000)
        if out.returncode != 0 or b'"deny"' in out.stdout or b'"ask"' in out.stdout:
            sys.exit(f"hook failed: {out.returncode} {out.stdout!r} {out.stderr!r}")
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(len(times) * p / 100))]
    return f"p50 {pct(50):.2f} ms, p90 {pct(90):.2f} ms, p99 {pct(99):.2f} ms, max {times[-1]:.2f} ms"


with tempfile.TemporaryDirectory() as data:
    env = dict(os.environ, WRIT_DATA_DIR=data)
    print(f"{calls} calls, embedded store:      ", measure([writ, "hook", "claude-code"], env))

    sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
    token = subprocess.run([writ, "tokens", "create", "--role", "agent", "--name", "hook",
                            "--data-dir", data + "/serve"], capture_output=True, check=True).stdout.decode().strip()
    server = subprocess.Popen([writ, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data + "/serve"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz"); break
            except OSError:
                time.sleep(0.1)
        env = dict(os.environ, WRIT_TOKEN=token)
        print(f"{calls} calls, --server (writ serve):", measure(
            [writ, "hook", "claude-code", "--server", f"http://127.0.0.1:{port}"], env))
    finally:
        server.kill()
