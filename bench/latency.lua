-- wrk script: optional cookie and form body from the environment, and a one-line JSON summary
-- with the percentiles the benchmark reports (wrk's own --latency has no p95).
local cookie = os.getenv("BENCH_COOKIE")
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local counter = 0

request = function()
  local headers = {["Accept-Encoding"] = "gzip"}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if method == "POST" then
    counter = counter + 1
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Sec-Fetch-Site"] = "same-origin"
    return wrk.format("POST", nil, headers, (body or "") .. "&n=" .. counter)
  end
  return wrk.format(method, nil, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "errors": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
