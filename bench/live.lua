-- Request script for bench/live.py (wrk 4.x). Run by live.py, not by hand:
--   wrk -t2 -c16 -d15s -s bench/live.lua http://127.0.0.1:PORT/ -- MODE DATAFILE NTHREADS
-- MODE hello: GET /hello/ with no cookies.
-- MODE user:  GET /hello/user/ as each interviewer in turn (the floor of any logged-in page).
-- MODE live:  GET each interview's live page in turn, as the interviewer who runs it.
-- MODE api:   GET API paths with an API key (bench/api.py; DATAFILE lines "token - path").
-- MODE notes: POST notes autosaves (htmx, like the page) with the item's current version.
-- DATAFILE has one line per interview: "sessionid csrftoken live_path notes_path item_code version";
-- line i goes to thread i % NTHREADS, so threads never share an item.
--
-- wrk's Lua cannot tell which connection a response belongs to, so an autosave item is never tied
-- to a connection. Each thread keeps a queue of free items instead: request() takes one, the
-- response names the item and its new version (the hidden "version" input the page swaps in), and
-- the item goes back to the queue. No item is ever in two requests at once, and every save sends
-- the version the server last acknowledged, as the page does.

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local mode
local requests = {}
local turn = 0
local items = {}
local by_code = {}
local free = {}

-- Read back by done() through thread:get, so they are globals.
statuses = {}
versions = {}
starved = 0
unmatched = 0

-- About what an interviewer has typed a few minutes into a question; the version makes each save
-- a different text.
local NOTES = "Explained+self-attention+as+a+weighted+sum+over+values%2C+with+weights+from+"
   .. "query%2Fkey+dot+products%2C+scaled+by+sqrt(d_k).%0A%0A-+Knew+why+the+scaling+matters+"
   .. "(softmax+saturation)%0A-+Mixed+up+causal+masking+and+padding+masking+at+first%2C+"
   .. "corrected+when+asked%0A-+Good+intuition+for+multi-head%3A+different+subspaces%0A%0A"
   .. "Follow+up%3A+KV+cache+memory+at+long+context.+Save+"

local function split(line)
   local fields = {}
   for field in line:gmatch("%S+") do
      table.insert(fields, field)
   end
   return fields
end

function init(args)
   mode = args[1]
   if mode == "hello" then
      requests[1] = wrk.format("GET", "/hello/")
      return
   end
   local nthreads = tonumber(args[3])
   local index = 0
   for line in io.lines(args[2]) do
      if index % nthreads == id then
         local f = split(line)
         local cookie = "sessionid=" .. f[1] .. "; csrftoken=" .. f[2]
         if mode == "api" then
            -- bench/api.py: "token - path": an API call with its key, no cookie.
            table.insert(requests, wrk.format("GET", f[3], { ["Authorization"] = "Bearer " .. f[1] }))
         elseif mode == "live" or mode == "user" then
            local path = mode == "live" and f[3] or "/hello/user/"
            table.insert(requests, wrk.format("GET", path, { ["Cookie"] = cookie }))
         else
            local item = {
               path = f[4],
               code = f[5],
               version = tonumber(f[6]),
               headers = {
                  ["Cookie"] = cookie,
                  ["X-CSRFToken"] = f[2],
                  ["HX-Request"] = "true",
                  ["Content-Type"] = "application/x-www-form-urlencoded",
               },
            }
            table.insert(items, item)
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
   if item == nil then
      -- More connections than items in this thread: live.py sizes the pool so this never happens.
      starved = starved + 1
      return wrk.format("GET", "/healthz")
   end
   local body = "version=" .. item.version .. "&notes=" .. NOTES .. item.version
   return wrk.format("POST", item.path, item.headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode ~= "notes" then
      return
   end
   local code, version = body:match('id="notes%-version%-([%x%-]+)" value="(%d+)"')
   if code == nil then
      -- A 409 names the item and the version it has now.
      version, code = body:match('data%-version="(%d+)" data%-target="notes%-([%x%-]+)"')
   end
   local item = code and by_code[code]
   if item == nil then
      unmatched = unmatched + 1
      return
   end
   item.version = tonumber(version)
   if status == 200 then
      versions[code] = item.version
   end
   table.insert(free, item)
end

function done(summary, latency, requests)
   local by_status, saved = {}, {}
   local total_starved, total_unmatched = 0, 0
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + n
      end
      for code, version in pairs(thread:get("versions")) do
         saved[code] = version
      end
      total_starved = total_starved + thread:get("starved")
      total_unmatched = total_unmatched + thread:get("unmatched")
   end
   local status_json, saved_json = {}, {}
   for status, n in pairs(by_status) do
      table.insert(status_json, string.format('"%d": %d', status, n))
   end
   for code, version in pairs(saved) do
      table.insert(saved_json, string.format('"%s": %d', code, version))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
         .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, '
         .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "starved": %d, '
         .. '"unmatched": %d, "statuses": {%s}, "versions": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.timeout,
      total_starved, total_unmatched, table.concat(status_json, ", "),
      table.concat(saved_json, ", ")
   ))
end
