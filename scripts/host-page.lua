-- wrk script for scripts/load.sh: GET /h/{handle} over the handles listed one per line in the file named by
-- HANDLES, each connection starting at its own place in the list.
local handles = {}
for line in io.lines(os.getenv("HANDLES")) do
  if line ~= "" then handles[#handles + 1] = line end
end
if #handles == 0 then error("no handles in " .. os.getenv("HANDLES")) end

local turn = 0
function init(args)
  turn = math.random(#handles)
end

function request()
  turn = turn % #handles + 1
  return wrk.format("GET", "/h/" .. handles[turn])
end
