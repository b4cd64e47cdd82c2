-- A connection of unknown family (mail from Postfix's sendmail command looks like this), and an
-- abrupt disconnect in the middle of a message: the filter copes with both.
-- Runs the script's body; on failure prints the reason (miltertest itself is silent) and fails.
local function run(body)
  local ok, err = pcall(body)
  if not ok then
    print("FAIL: " .. tostring(err))
    error(err)
  end
  print("PASS")
end

-- Sends an event unless the filter negotiated it away (miltertest refuses those).
local function step(conn, skipflag, fn, ...)
  if skipflag ~= nil and mt.test_option(conn, skipflag) then
    return
  end
  local err = fn(conn, ...)
  assert(err == nil, "event failed: " .. tostring(err))
end

run(function()
  local port = os.getenv("MILTER_PORT")
  local conn = mt.connect("inet:" .. port .. "@127.0.0.1", 10, 0.2)
  assert(conn, "cannot connect to the filter")
  assert(mt.negotiate(conn, nil, nil, nil) == nil, "negotiation failed")
  assert(mt.conninfo(conn, "localhost", "unspec") == nil, "conninfo failed")
  assert(mt.getreply(conn) == SMFIR_CONTINUE, "connect not continued")
  step(conn, SMFIP_NOMAIL, mt.mailfrom, "<>")
  step(conn, SMFIP_NORCPT, mt.rcptto, "<postmaster@example.org>")
  step(conn, SMFIP_NOHDRS, mt.header, "Authentication-Results", " mx.test; none")
  assert(mt.disconnect(conn, false) == nil, "abrupt disconnect failed")

  -- The server still serves new connections.
  local again = mt.connect("inet:" .. port .. "@127.0.0.1", 10, 0.2)
  assert(again, "cannot reconnect")
  assert(mt.negotiate(again, nil, nil, nil) == nil, "negotiation failed")
  assert(mt.conninfo(again, "localhost", "127.0.0.1") == nil, "conninfo failed")
  assert(mt.getreply(again) == SMFIR_CONTINUE, "connect not continued")
  assert(mt.disconnect(again) == nil, "disconnect failed")
end)
