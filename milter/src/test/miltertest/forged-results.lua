-- Forged Authentication-Results (RFC 8601 section 5): the filter deletes the fields that claim
-- its authserv-id (mx.test) and keeps the others. The server under test listens on the port in
-- the environment variable MILTER_PORT with authserv-id mx.test.

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
  assert(conn, "cannot connect to the filter on port " .. tostring(port))
  assert(mt.negotiate(conn, nil, nil, nil) == nil, "negotiation failed")

  -- What the filter asked for: header changes only, and no replies to headers or body.
  assert(mt.test_action(conn, SMFIF_ADDHDRS), "ADDHDRS not requested")
  assert(mt.test_action(conn, SMFIF_CHGHDRS), "CHGHDRS not requested")
  assert(not mt.test_action(conn, SMFIF_QUARANTINE), "QUARANTINE requested without need")
  assert(not mt.test_action(conn, SMFIF_CHGBODY), "CHGBODY requested without need")
  assert(mt.test_option(conn, SMFIP_NR_HDR), "NR_HDR not negotiated")
  assert(mt.test_option(conn, SMFIP_HDR_LEADSPC), "HDR_LEADSPC not negotiated")
  assert(mt.test_option(conn, SMFIP_NOUNKNOWN), "NOUNKNOWN not negotiated")

  assert(mt.conninfo(conn, "client.example", "192.0.2.1") == nil, "conninfo failed")
  assert(mt.getreply(conn) == SMFIR_CONTINUE, "connect not continued")
  step(conn, SMFIP_NOHELO, mt.helo, "client.example")
  assert(mt.macro(conn, SMFIC_MAIL, "i", "MT0001") == nil, "macro failed")
  step(conn, SMFIP_NOMAIL, mt.mailfrom, "<alice@example.com>")
  step(conn, SMFIP_NORCPT, mt.rcptto, "<bob@example.org>")

  step(conn, SMFIP_NOHDRS, mt.header, "From", " alice@example.com")
  step(conn, SMFIP_NOHDRS, mt.header, "Authentication-Results", " mx.test; spf=pass")
  step(conn, SMFIP_NOHDRS, mt.header, "Authentication-Results", " other.example; dkim=pass")
  step(conn, SMFIP_NOHDRS, mt.header, "Subject", " hello")
  step(conn, SMFIP_NOEOH, mt.eoh)
  step(conn, SMFIP_NOBODY, mt.bodystring, "Hello Bob.\r\n")
  assert(mt.eom(conn) == nil, "eom failed")
  assert(mt.getreply(conn) == SMFIR_CONTINUE, "message not continued")
  assert(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), "forged field not deleted")
  assert(not mt.eom_check(conn, MT_HDRADD), "a field was added")
  assert(not mt.eom_check(conn, MT_HDRINSERT), "a field was inserted")
  assert(not mt.eom_check(conn, MT_QUARANTINE), "the message was quarantined")

  assert(mt.disconnect(conn) == nil, "disconnect failed")
end)
