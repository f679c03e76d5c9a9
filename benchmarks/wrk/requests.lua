-- wrk script of the HTTP benchmarks (benchmarks/httpbench.py writes its input and reads its
-- output). Usage: wrk ... -s requests.lua http://127.0.0.1:PORT -- REQUESTS_FILE
--
-- REQUESTS_FILE has one request a line, fields separated by tabs:
--   method, Host header, path, headers ("Name: value" pairs separated by \31), body
-- Every connection sends the requests in turn (each thread starting at its own offset), so one
-- run can rotate over many cities' hosts, many residents' cookies and many ideas.
--
-- At the end one line "WRKJSON {...}" gives the latency percentiles (microseconds), the counts
-- of responses by status code (counted in every thread) and wrk's own error counters.

local requests = {}
local position = 0
codes = {}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  local path = args[1]
  if path == nil then
    error("requests.lua needs the path of a requests file after --")
  end
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    local method, host, target, header_text, body =
      line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method ~= nil then
      local headers = {}
      if host ~= "" then
        headers["Host"] = host
      end
      for pair in header_text:gmatch("[^\31]+") do
        local name, value = pair:match("^([^:]+):%s*(.*)$")
        if name ~= nil then
          headers[name] = value
        end
      end
      if body == "" then
        body = nil
      end
      requests[#requests + 1] = wrk.format(method, target, headers, body)
    end
  end
  file:close()
  if #requests == 0 then
    error("no requests in " .. path)
  end
  -- Threads start at different places so that they do not send the same request at once.
  position = ((thread_number or 1) - 1) * math.floor(#requests / 2 + 1) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests_summary)
  local total = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("codes")
    if counted ~= nil then
      for status, count in pairs(counted) do
        total[status] = (total[status] or 0) + count
      end
    end
  end
  local code_parts = {}
  for status, count in pairs(total) do
    code_parts[#code_parts + 1] = string.format('"%d": %d', status, count)
  end
  local percentile_parts = {}
  for _, p in ipairs({ 50, 75, 90, 95, 99, 99.9 }) do
    percentile_parts[#percentile_parts + 1] =
      string.format('"%s": %d', tostring(p), latency:percentile(p))
  end
  local errors = summary.errors
  io.write(
    string.format(
      'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, '
        .. '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, "percentiles": {%s}}, '
        .. '"codes": {%s}, '
        .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
      summary.requests,
      summary.duration,
      summary.bytes,
      latency.min,
      latency.mean,
      latency.max,
      latency.stdev,
      table.concat(percentile_parts, ", "),
      table.concat(code_parts, ", "),
      errors.connect,
      errors.read,
      errors.write,
      errors.status,
      errors.timeout
    )
  )
end
