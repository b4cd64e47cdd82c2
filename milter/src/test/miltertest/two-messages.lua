-- Two messages on one connection, an abort between them (as Postfix does after every
-- transaction): the first, with nothing forged, gets no changes; the second, with a forged field
-- behind a comment and in another case, gets it deleted. (miltertest keeps the changes of earlier
-- messages for eom_check, so the clean message goes first.)

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
  assert(mt.conninfo(conn, "localhost", "127.0.0.1") == nil, "conninfo failed")

  step(conn, SMFIP_NOMAIL, mt.mailfrom, "<a@example.com>")
  step(conn, SMFIP_NORCPT, mt.rcptto, "<b@example.org>")
  step(conn, SMFIP_NOHDRS, mt.header, "Authentication-Results", " other.example; dmarc=pass")
  step(conn, SMFIP_NOHDRS, mt.header, "Subject", " two")
  step(conn, SMFIP_NOEOH, mt.eoh)
  step(conn, SMFIP_NOBODY, mt.bodystring, "one\r\n")
  assert(mt.eom(conn) == nil, "eom 1 failed")
  assert(mt.getreply(conn) == SMFIR_CONTINUE, "message 1 not continued")
  assert(not mt.eom_check(conn, MT_HDRDELETE), "a field was deleted from a clean message")
  assert(mt.abort(conn) == nil, "abort failed")

  step(conn, SMFIP_NOMAIL, mt.mailfrom, "<a@example.com>")
  step(conn, SMFIP_NORCPT, mt.rcptto, "<b@example.org>")
  step(conn, SMFIP_NOHDRS, mt.header, "Authentication-Results", " (comment) MX.TEST ; dmarc=pass")
  step(conn, SMFIP_NOEOH, mt.eoh)
  step(conn, SMFIP_NOBODY, mt.bodystring, "two\r\n")
  assert(mt.eom(conn) == nil, "eom 2 failed")
  assert(mt.getreply(conn) == SMFIR_CONTINUE, "message 2 not continued")
  assert(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), "forged field not deleted")

  assert(mt.disconnect(conn) == nil, "disconnect failed")
end)
