-- wrk script: POST /v1/guard, counting acknowledged guards.
-- WRIT_TOKEN: an agent token. WRIT_EVENT: a fixed request body; by default
-- each request is an allowed Claude Code `ls` on its own path with its own
-- call id (so the shell analysis is never a cache hit).
local token = os.getenv("WRIT_TOKEN")
local fixed = os.getenv("WRIT_EVENT")
local template =
  '{"runtime":"claude-code","event":{"session_id":"load","transcript_path":"/tmp/t.jsonl","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls -la %s | wc -l"},"tool_use_id":"toolu_%s"}}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  acked = 0
  sent = 0
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
end

function request()
  sent = sent + 1
  local id = tid .. "-" .. sent
  local body = fixed or string.format(template, "/tmp/" .. id, id)
  return wrk.format("POST", "/v1/guard", headers, body)
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
