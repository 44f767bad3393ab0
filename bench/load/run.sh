#!/usr/bin/env bash
# Loopback load test of `writ serve` with wrk, then a check that no
# acknowledged receipt was lost: the server is killed with SIGKILL right
# after the run and its database is counted against what wrk saw acknowledged.
#
#   bench/load/run.sh [guard|lifecycle] [DURATION] [CONNECTIONS]
#
# Needs wrk (apt-get install wrk) and a release build (cargo build --release -p writ).
# Without wrk: `writ bench serve --scenario guard|lifecycle` does the same run and check.
set -euo pipefail
scenario=${1:-guard}
duration=${2:-20s}
connections=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
writ=${WRIT_BIN:-$root/target/release/writ}
port=${WRIT_LOAD_PORT:-7790}
data=$(mktemp -d)
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$data"' EXIT

[ -x "$writ" ] || { echo "build it first: cargo build --release -p writ" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }

export WRIT_TOKEN=$("$writ" tokens create --role agent --name load --data-dir "$data")
"$writ" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done

echo "scenario $scenario, $connections connections, $duration, on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
threads=$(( connections < 2 ? connections : 2 ))  # wrk needs a connection per thread
out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/$scenario.lua" "http://127.0.0.1:$port")
echo "$out"
kill -9 "$server"
wait "$server" 2>/dev/null || true

guards=$(echo "$out" | sed -n 's/^acknowledged guards: //p')
outcomes=$(echo "$out" | sed -n 's/^acknowledged outcomes: //p')
python3 - "$data" "$guards" "${outcomes:-0}" <<'PY'
import json, sqlite3, sys
data, guards, outcomes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(f"{data}/ledger.db")  # the log, actions and sessions
size = db.execute("SELECT count(*) FROM leaves").fetchone()[0]
actions = db.execute("SELECT count(*) FROM actions").fetchone()[0]
closed = db.execute("SELECT count(*) FROM actions WHERE status = 'closed'").fetchone()[0]
missing = 0
for (text,) in db.execute("SELECT record FROM actions"):
    record = json.loads(text)
    leaves = [l for l in record["leaves"] if l is not None] + [record.get("certificate_leaf")] * (record.get("certificate_leaf") is not None)
    missing += sum(1 for l in leaves if l >= size)
print(f"after SIGKILL: {actions} actions ({closed} closed), {size} log leaves, {missing} receipts pointing past the log")
ok = actions >= guards and closed >= outcomes and missing == 0
print("no acknowledged receipt lost" if ok else f"LOST: {guards} guards and {outcomes} outcomes were acknowledged")
sys.exit(0 if ok else 1)
PY
