-- wrk script: POST /v1/guard with one event, counting acknowledged guards.
-- WRIT_TOKEN: an agent token. WRIT_EVENT: the request body (default: an
-- allowed Claude Code `ls`, no session).
local token = os.getenv("WRIT_TOKEN")
local body = os.getenv("WRIT_EVENT") or
  '{"runtime":"claude-code","event":{"session_id":"load","transcript_path":"/tmp/t.jsonl","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls -la | wc -l"},"tool_use_id":"toolu_load"}}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  acked = 0
  wrk.method = "POST"
  wrk.path = "/v1/guard"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function response(status, headers, body)
  if status == 200 and body:find('"action_id"', 1, true) then
    acked = acked + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("acked")
  end
  io.write(string.format("acknowledged guards: %d\n", total))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
