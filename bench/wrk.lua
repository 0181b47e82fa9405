-- wrk 4 script of bench/harness.py: wrk -s bench/wrk.lua URL -- MODE DATAFILE NTHREADS
-- DATAFILE: "sessionid csrftoken path notes_path item_code version" ("-": none); line i goes to
-- thread i % NTHREADS. get: GET each line's path, logged in unless "-". api: the same with the
-- first field as an API key. notes: POST autosaves as htmx sends them. wrk's Lua cannot tell which
-- connection a response belongs to, so each thread keeps a queue of free notes items: a request
-- takes one, its response names it and its new version, and it goes back. No item is ever in two
-- requests at once; a 409 (not expected: the harness starts from the stored versions) loses one.
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
   local index = 0
   for line in io.lines(args[2]) do
      if index % tonumber(args[3]) == id then
         local f, h = {}, {}
         for field in line:gmatch("%S+") do table.insert(f, field) end
         if mode == "api" then
            h["Authorization"] = "Bearer " .. f[1]
         elseif f[1] ~= "-" then
            h["Cookie"] = "sessionid=" .. f[1] .. "; csrftoken=" .. f[2]
         end
         if mode ~= "notes" then
            table.insert(requests, wrk.format("GET", f[3], h))
         else
            h["X-CSRFToken"], h["HX-Request"] = f[2], "true"
            h["Content-Type"] = "application/x-www-form-urlencoded"
            local item = { path = f[4], code = f[5], version = tonumber(f[6]), headers = h }
            by_code[item.code], versions[item.code] = item, item.version
            table.insert(free, item)
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
      return wrk.format("GET", "/hello/")
   end
   local body = "version=" .. item.version .. "&notes=" .. NOTES .. item.version
   return wrk.format("POST", item.path, item.headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode ~= "notes" then return end
   local code, version = body:match('id="notes%-version%-([%x%-]+)" value="(%d+)"')
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
   local e = summary.errors -- "BENCH key value ...", summed over threads by the harness
   print("BENCH requests", summary.requests, "duration_us", summary.duration, "p50_us",
      latency:percentile(50), "p90_us", latency:percentile(90), "p99_us", latency:percentile(99),
      "max_us", latency.max, "errors", e.connect + e.read + e.write + e.timeout)
   for _, thread in ipairs(threads) do
      print("BENCH starved", thread:get("starved"), "unmatched", thread:get("unmatched"))
      for status, n in pairs(thread:get("statuses")) do print("BENCH status_" .. status, n) end
      for code, v in pairs(thread:get("versions")) do print("BENCH version_" .. code, v) end
   end
end
