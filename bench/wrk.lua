-- wrk 4 script of bench/harness.py: wrk -s bench/wrk.lua URL -- MODE DATAFILE NTHREADS
-- hello: GET /hello/, no cookies. user: GET /hello/user/ logged in. live: GET each line's page.
-- api: GET each line's path with its API key. notes: POST autosaves as htmx sends them.
-- DATAFILE: "sessionid csrftoken path notes_path item_code version" (api: "token - path"); line i
-- goes to thread i % NTHREADS. wrk's Lua cannot tell which connection a response belongs to, so
-- each thread keeps a queue of free notes items: a request takes one, its response names it and
-- its new version, and it goes back. No item is ever in two requests at once.
local threads, next_id = {}, 0
function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local mode, requests, turn, by_code, free = nil, {}, 0, {}, {}
statuses, versions, starved, unmatched = {}, {}, 0, 0 -- globals: done() reads them
local NOTES = "Explained+self-attention+as+a+weighted+sum+over+values%2C+with+weights+from+"
   .. "query%2Fkey+dot+products%2C+scaled+by+sqrt(d_k).%0A%0A-+Knew+why+the+scaling+matters%0A"
   .. "-+Mixed+up+causal+and+padding+masks+at+first%0A%0AFollow+up%3A+KV+cache.+Save+"

function init(args)
   mode = args[1]
   if mode == "hello" then
      requests[1] = wrk.format("GET", "/hello/")
      return
   end
   local index = 0
   for line in io.lines(args[2]) do
      if index % tonumber(args[3]) == id then
         local f = {}
         for field in line:gmatch("%S+") do table.insert(f, field) end
         local cookie = { ["Cookie"] = "sessionid=" .. f[1] .. "; csrftoken=" .. f[2] }
         if mode == "api" then
            table.insert(requests, wrk.format("GET", f[3], { ["Authorization"] = "Bearer " .. f[1] }))
         elseif mode ~= "notes" then
            table.insert(requests, wrk.format("GET", mode == "user" and "/hello/user/" or f[3], cookie))
         else
            cookie["X-CSRFToken"], cookie["HX-Request"] = f[2], "true"
            cookie["Content-Type"] = "application/x-www-form-urlencoded"
            local item = { path = f[4], code = f[5], version = tonumber(f[6]), headers = cookie }
            by_code[item.code] = item
            table.insert(free, item)
            versions[item.code] = item.version
         end
      end
      index = index + 1
   end
end

function request()
   if mode ~= "notes" then
      turn = turn % #requests + 1
      return requests[turn]
   end
   local item = table.remove(free, 1)
   if item == nil then -- more connections than items: the harness sizes the pool so it never is
      starved = starved + 1
      return wrk.format("GET", "/healthz")
   end
   local body = "version=" .. item.version .. "&notes=" .. NOTES .. item.version
   return wrk.format("POST", item.path, item.headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode ~= "notes" then return end
   local code, version = body:match('id="notes%-version%-([%x%-]+)" value="(%d+)"')
   if code == nil then -- a 409 names the item and the version it has now
      version, code = body:match('data%-version="(%d+)" data%-target="notes%-([%x%-]+)"')
   end
   local item = code and by_code[code]
   if item == nil then
      unmatched = unmatched + 1
      return
   end
   item.version = tonumber(version)
   if status == 200 then versions[code] = item.version end
   table.insert(free, item)
end

function done(summary, latency, requests)
   local by_status, saved, n_starved, n_unmatched, out = {}, {}, 0, 0, { {}, {} }
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do by_status[status] = (by_status[status] or 0) + n end
      for code, version in pairs(thread:get("versions")) do saved[code] = version end
      n_starved = n_starved + thread:get("starved")
      n_unmatched = n_unmatched + thread:get("unmatched")
   end
   for status, n in pairs(by_status) do table.insert(out[1], string.format('"%d": %d', status, n)) end
   for code, v in pairs(saved) do table.insert(out[2], string.format('"%s": %d', code, v)) end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
         .. '"max_us": %d, "errors": %d, "starved": %d, "unmatched": %d, "statuses": {%s}, '
         .. '"versions": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, n_starved,
      n_unmatched, table.concat(out[1], ", "), table.concat(out[2], ", ")))
end
