-- wrk script: the full lifecycle over HTTP. Each connection alternates
-- POST /v1/guard (an allowed action, released with a token) and
-- POST /v1/actions/{id}/outcome for the action it just opened, which
-- certifies it. Each guard is an `ls` on its own path with its own call id.
-- Counts acknowledged guards and outcomes.
local token = os.getenv("WRIT_TOKEN")
local template =
  '{"runtime":"claude-code","event":{"session_id":"load","transcript_path":"/tmp/t.jsonl","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls -la %s | wc -l"},"tool_use_id":"toolu_%s"}}'
local outcome_body = '{"closure":"completed","result":{"exit_code":0}}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  guards = 0
  outcomes = 0
  sent = 0
  queue = {}
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
end

function request()
  local id = table.remove(queue)
  if id then
    return wrk.format("POST", "/v1/actions/" .. id .. "/outcome", headers, outcome_body)
  end
  sent = sent + 1
  local n = tid .. "-" .. sent
  return wrk.format("POST", "/v1/guard", headers, string.format(template, "/tmp/" .. n, n))
end

function response(status, hdrs, body)
  if status ~= 200 then
    return
  end
  if body:find('"certified":true', 1, true) then
    outcomes = outcomes + 1
    return
  end
  local id = body:match('"action_id":"(act_[0-9a-f]+)"')
  if id and body:find('"status":"released"', 1, true) then
    guards = guards + 1
    table.insert(queue, id)
  end
end

function done(summary, latency, requests)
  local g, o = 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("guards")
    o = o + t:get("outcomes")
  end
  io.write(string.format("acknowledged guards: %d\nacknowledged outcomes: %d\n", g, o))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
