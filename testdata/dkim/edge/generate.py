"""Writes authmill's DKIM edge-case vectors: messages signed with exactly the bytes each case needs.

    /usr/bin/python3 generate.py            (Debian: python3-dkim, python3-nacl; opendkim for notes)

Each case is a message (CASE.eml, CRLF), verified against edge.zone at t0 = 1700000000 (the
signatures' t=; the test fixes its clock there). expected.txt lists, per case, the outcome of
each signature and a fragment of the first reason that is not "signature verified", followed by
what dkimpy (python3-dkim 1.1) and OpenDKIM 2.11 said at generation time, for the record: the
peers use the real clock, so for cases about time they answer differently ("clock"); "none"
means OpenDKIM's test mode gave no verdict for the message at all. The keys
(rsa.pem: PKCS#1, ed.seed: Ed25519 seed) are test keys made for these vectors only.
"""
import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import dkim  # noqa: E402
import nacl.signing  # noqa: E402
from dkim.canonicalization import Relaxed, Simple  # noqa: E402
from dkim.crypto import RSASSA_PKCS1_v1_5_sign, parse_pem_private_key  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1700000000
RSA = parse_pem_private_key(open(os.path.join(HERE, "rsa.pem"), "rb").read())
ED = nacl.signing.SigningKey(base64.b64decode(open(os.path.join(HERE, "ed.seed")).read()))
RSA_P = base64.b64encode(subprocess.run(
    ["openssl", "rsa", "-in", os.path.join(HERE, "rsa.pem"), "-pubout", "-outform", "DER"],
    capture_output=True, check=True).stdout).decode()
ED_P = base64.b64encode(bytes(ED.verify_key)).decode()
PKCS1_P = base64.b64encode(subprocess.run(
    ["openssl", "rsa", "-in", os.path.join(HERE, "rsa.pem"), "-RSAPublicKey_out", "-outform",
     "DER"], capture_output=True, check=True).stdout).decode()

# selector -> TXT records (one string each; written in 250-octet pieces)
RECORDS = {
    "rsa": ["v=DKIM1; k=rsa; p=" + RSA_P],
    "ed": ["v=DKIM1; k=ed25519; p=" + ED_P],
    "nov": ["k=rsa; p=" + RSA_P],
    "vlate": ["k=rsa; v=DKIM1; p=" + RSA_P],
    "v2": ["v=DKIM2; p=" + RSA_P],
    "kfoo": ["v=DKIM1; k=foo; p=" + RSA_P],
    "hsha1": ["v=DKIM1; h=sha1; p=" + RSA_P],
    "hboth": ["v=DKIM1; h=sha1:sha256; p=" + RSA_P],
    "semail": ["v=DKIM1; s=email; p=" + RSA_P],
    "sfoo": ["v=DKIM1; s=foo; p=" + RSA_P],
    "ty": ["v=DKIM1; t=y; p=" + RSA_P],
    "ts": ["v=DKIM1; t=s; p=" + RSA_P],
    "gfoo": ["v=DKIM1; g=foo; n=notes; zz=unknown; p=" + RSA_P],
    "pspaces": ["v=DKIM1; p=" + RSA_P[:60] + " " + RSA_P[60:120] + "  " + RSA_P[120:]],
    "pmissing": ["v=DKIM1; k=rsa"],
    "revoked": ["v=DKIM1; k=rsa; p="],
    "pkcs1": ["v=DKIM1; p=" + PKCS1_P],
    "ptruncated": ["v=DKIM1; p=" + RSA_P[:200]],
    "dupp": ["v=DKIM1; p=" + RSA_P + "; p=" + RSA_P],
    "junk": ["v=DKIM1; p=" + RSA_P + "; junk"],
    "multi": ["v=DKIM1; p=AAAA", "v=DKIM1; p=" + RSA_P],
    "edspki": ["v=DKIM1; k=ed25519; p="
               + base64.b64encode(bytes.fromhex("302a300506032b6570032100") + bytes(ED.verify_key)).decode()],
    "ednok": ["v=DKIM1; p=" + ED_P],
}

H = ["From: A <a@example.com>", "To: b@example.org", "Subject: edge case"]
BODY = b"Hello,\r\n\r\nan edge case.\r\n"


def body_hash(body, canon):
    c = Relaxed if canon == "relaxed" else Simple
    return base64.b64encode(hashlib.sha256(c.canonicalize_body(body)).digest()).decode()


def field_parts(field):
    name, value = field.split(":", 1)
    return name.encode("latin-1"), (value + "\r\n").encode("latin-1")


def select(fields, names):
    """RFC 6376 §5.4.2: each name takes the next instance from the bottom; names match after the
    whitespace before the colon is dropped, case-insensitively."""
    used = {}
    out = []
    for n in names:
        seen = used.get(n, 0)
        found = [f for f in fields if f.split(":", 1)[0].rstrip(" \t").lower() == n]
        if seen < len(found):
            out.append(found[len(found) - 1 - seen])
        used[n] = seen + 1
    return out


def relaxed_field(field):
    name, value = field.split(":", 1)
    value = re.sub(r"\r\n(?=[ \t])", "", value)
    value = re.sub(r"[ \t]+", " ", value).strip(" ")
    return name.rstrip(" \t").lower() + ":" + value


def header_hash_input(fields, names, sig_hashed, hcanon):
    data = ""
    for f in select(fields, names):
        data += (relaxed_field(f) if hcanon == "relaxed" else f) + "\r\n"
    data += relaxed_field(sig_hashed) if hcanon == "relaxed" else sig_hashed
    return data.encode("latin-1")


def sign(fields, body, template, h="from:to:subject", canon="relaxed/relaxed", sel="rsa",
         hashed=None, bh=None, signed_fields=None):
    """template: the DKIM-Signature field with {BH} and {B}; hashed: the text hashed, if not the
    template with {B} empty; signed_fields: the header the signer saw (default: fields)."""
    hcanon, bcanon = canon.split("/")
    bh = bh if bh is not None else body_hash(body, bcanon)
    template = template.replace("{BH}", bh)
    hashed = (hashed if hashed is not None else template.replace("{B}", "")).replace("{BH}", bh)
    names = [n.strip().lower() for n in h.split(":")]
    data = header_hash_input(signed_fields if signed_fields is not None else fields, names,
                             hashed, hcanon)
    if sel.startswith("ed"):
        sig = ED.sign(hashlib.sha256(data).digest()).signature
    else:
        sig = RSASSA_PKCS1_v1_5_sign(hashlib.sha256(data), RSA)
    return template.replace("{B}", base64.b64encode(sig).decode())


def tpl(extra="", a="rsa-sha256", c="relaxed/relaxed", d="example.com", s="rsa",
        h="from:to:subject", t=T0):
    ts = "" if t is None else " t=%d;" % t
    return ("DKIM-Signature: v=1; a=%s; c=%s; d=%s; s=%s;%s h=%s;%s bh={BH}; b={B}"
            % (a, c, d, s, ts, h, extra))


def message(sig_fields, fields, body):
    return ("\r\n".join(sig_fields + fields) + "\r\n\r\n").encode("latin-1") + body


CASES = []


def case(name, expected, fragment, data):
    CASES.append((name, expected, fragment, data))


def simple_case(name, expected, fragment, extra="", a="rsa-sha256", c="relaxed/relaxed",
                d="example.com", s="rsa", h="from:to:subject", t=T0, canon=None, fields=H,
                body=BODY, **kw):
    canon = canon or (c.lower() if "/" in c else c.lower() + "/simple")
    kw.setdefault("sel", "ed" if a.startswith("ed25519") else "rsa")
    field = sign(fields, body, tpl(extra, a, c, d, s, h, t), h=h, canon=canon, **kw)
    case(name, expected, fragment, message([field], fields, body))


# --- the b= value and the signature field itself (RFC 6376 §3.5, §3.7)
for c in ("relaxed/relaxed", "simple/simple"):
    mid = ("DKIM-Signature: v=1; a=rsa-sha256; b={B} ; c=%s; d=example.com; s=rsa; t=%d;"
           " h=from:to:subject; bh={BH}" % (c, T0))
    tag = c.split("/")[0]
    field = sign(H, BODY, mid, canon=c, hashed=mid.replace("{B} ;", ";"))
    case("b-middle-space-" + tag, "pass", "", message([field], H, BODY))
    field = sign(H, BODY, mid, canon=c, hashed=mid.replace("{B} ;", " ;"))
    case("b-middle-space-kept-" + tag, "fail", "signature did not verify",
         message([field], H, BODY))
simple_case("b-folded", "pass", "", extra="", c="simple/simple")
folded = tpl().replace("b={B}", "b=\r\n\t{B}").replace("bh={BH}", "bh=\r\n {BH}")
case("b-bh-folded", "pass", "", message([sign(H, BODY, folded)], H, BODY))
spaced = tpl(h="from : to :\r\n subject").replace("v=1;", "v = 1 ;")
case("tags-spaced-folded", "pass", "", message([sign(H, BODY, spaced)], H, BODY))

# --- tag-list syntax (RFC 6376 §3.2, §6.1.1)
simple_case("unknown-tag", "pass", "", extra=" zz=whatever; z=From:a=40example.com;")
case("duplicate-tag", "permerror", "duplicate tag d=",
     message([sign(H, BODY, tpl().replace("s=rsa;", "s=rsa; d=example.com;"))], H, BODY))
case("empty-tag-spec", "permerror", "empty tag-spec",
     message([sign(H, BODY, tpl().replace("s=rsa;", "s=rsa;;"))], H, BODY))
case("tag-name-upper", "permerror", "no d= tag",
     message([sign(H, BODY, tpl().replace("d=example.com", "D=example.com"))], H, BODY))
case("v-01", "permerror", "incompatible signature version",
     message([sign(H, BODY, tpl().replace("v=1;", "v=01;"))], H, BODY))
case("v-missing", "permerror", "no v= tag",
     message([sign(H, BODY, tpl().replace("v=1; ", ""))], H, BODY))
case("v-last", "pass", "",
     message([sign(H, BODY, tpl().replace("v=1; ", "").replace("b={B}", "b={B}; v=1"))], H, BODY))
simple_case("from-not-signed", "permerror", "From is not signed", h="to:subject")
simple_case("h-empty-element", "permerror", "malformed header list", h="from::subject")

# --- algorithms and canonicalization names are case-sensitive (RFC 6376 §3.2)
simple_case("a-upper", "permerror", "unsupported signature algorithm", a="RSA-SHA256")
simple_case("a-rsa-sha1", "fail", "RFC 8301", a="rsa-sha1")
simple_case("c-upper", "permerror", "unknown canonicalization", c="Relaxed/Relaxed")
simple_case("c-relaxed-alone", "pass", "", c="relaxed")
simple_case("c-default", "pass", "", c="simple/simple")  # c= written; see c-absent
case("c-absent", "pass", "",
     message([sign(H, BODY, tpl().replace("c=relaxed/relaxed; ", ""), canon="simple/simple")],
             H, BODY))
simple_case("d-upper", "pass", "", d="EXAMPLE.COM")
simple_case("s-upper", "pass", "", s="RSA")
simple_case("d-trailing-dot", "permerror", "invalid signing domain", d="example.com.")
simple_case("h-mixed-case", "pass", "", h="FROM:To:sUbJeCt")
simple_case("q-dns-txt", "pass", "", extra=" q=dns/txt;")
simple_case("q-list", "pass", "", extra=" q=foo/bar:dns/txt;")
simple_case("q-dns", "permerror", "unsupported query method", extra=" q=dns;")

# --- identities (RFC 6376 §3.5 i=, §2.11)
simple_case("i-domain", "pass", "", extra=" i=@example.com;")
simple_case("i-subdomain", "pass", "", extra=" i=user@mail.example.com;")
simple_case("i-quoted-printable", "pass", "", extra=" i=jo=3Dhn=20doe@example.com;")
simple_case("i-bad-quoted-printable", "permerror", "dkim-quoted-printable",
            extra=" i=jo=hn@example.com;")
simple_case("i-other-domain", "permerror", "is not within d=example.com",
            extra=" i=user@example.net;")
simple_case("i-suffix-domain", "permerror", "is not within d=example.com",
            extra=" i=user@badexample.com;")

# --- time (RFC 6376 §3.5 t=, x=); the test's clock is t0
simple_case("t-future", "permerror", "in the future", t=T0 + 3600)
simple_case("t-future-within-skew", "pass", "", t=T0 + 200)
simple_case("x-past", "fail", "signature expired", t=T0 - 7200, extra=" x=%d;" % (T0 - 3600))
simple_case("x-future", "pass", "", extra=" x=%d;" % (T0 + 3600))
simple_case("x-equals-t", "permerror", "is not after the timestamp", extra=" x=%d;" % T0)
simple_case("x-without-t", "pass", "", t=None, extra=" x=%d;" % (T0 + 60))

# --- base64 (RFC 6376 §2.4) and the body hash
simple_case("bh-unpadded", "permerror", "bh= is empty or not valid base64",
            bh=body_hash(BODY, "relaxed").rstrip("="))
simple_case("bh-wrong", "fail", "body hash did not verify", bh=body_hash(b"x\r\n", "relaxed"))

# --- body length (RFC 6376 §3.5 l=, §8.2)
simple_case("l-zero", "pass", "only the first 0 octets", extra=" l=0;",
            bh=body_hash(b"", "relaxed"))
simple_case("l-exact", "pass", "", extra=" l=%d;" % len(Relaxed.canonicalize_body(BODY)))
simple_case("l-beyond-body", "fail", "exceeds the body", extra=" l=1000;")
simple_case("l-part", "pass", "only the first 8 octets", extra=" l=8;",
            bh=base64.b64encode(hashlib.sha256(Relaxed.canonicalize_body(BODY)[:8]).digest()).decode())

# --- header fields (RFC 6376 §3.4.1, §3.4.2, §5.4.2)
ODD = ["From : A <a@example.com>", "To:b@example.org", "SUBJECT:\t edge \r\n\t case ",
       "X-Empty:", "Subject: second"]
for c in ("relaxed/relaxed", "simple/simple"):
    tag = c.split("/")[0]
    simple_case("odd-headers-" + tag, "pass", "", c=c, fields=ODD,
                h="from:to:subject:subject:subject:x-empty:x-missing")
REPEATED = H + ["Received: one", "Received: two"]
simple_case("repeated-bottom-up", "pass", "", fields=REPEATED, h="from:received:received:to")
latin = [f.encode("utf-8").decode("latin-1") for f in
         ["From: Jos\u00e9 <jose@example.com>", "To: b@example.org", "Subject: caf\u00e9 \u00fc"]]
for c in ("relaxed/relaxed", "simple/simple"):
    simple_case("eight-bit-headers-" + c.split("/")[0], "pass", "", c=c, fields=latin,
                body="na\u00efve\r\n".encode("utf-8"))

# --- bodies (RFC 6376 §3.4.3, §3.4.4 with erratum 1384)
BODIES = {
    "empty": b"",
    "only-crlfs": b"\r\n\r\n\r\n",
    "whitespace-lines": b" \t\r\n\t\r\n",
    "no-final-crlf": b"abc",
    "trailing-space-no-crlf": b"abc  ",
    "inner-whitespace": b"a  \t b\t\r\n  c \r\n\r\n",
    "long-line": b"x" * 20000 + b"\r\n",
}
for name, body in BODIES.items():
    for bc in ("simple", "relaxed"):
        if name == "trailing-space-no-crlf" and bc == "relaxed":
            # the last line's trailing WSP goes too, then the CRLF is added (RFC 6376 §3.4.4 b):
            # OpenDKIM also drops the WSP but adds no CRLF ("abc"); dkimpy keeps one SP
            bh = base64.b64encode(hashlib.sha256(b"abc\r\n").digest()).decode()
        else:
            bh = None
        simple_case("body-%s-%s" % (name, bc), "pass", "", c="relaxed/" + bc, body=body, bh=bh)

# --- key records (RFC 6376 §3.6.1, §6.1.2; RFC 8463 §4)
for sel, expected, fragment in [
    ("nov", "pass", ""), ("vlate", "permerror", "v= tag is not the first tag"),
    ("v2", "permerror", "not DKIM1"), ("kfoo", "permerror", "unknown key type"),
    ("hsha1", "permerror", "does not allow sha256"), ("hboth", "pass", ""),
    ("semail", "pass", ""), ("sfoo", "permerror", "is not for email"),
    ("ty", "pass", "testing mode"), ("gfoo", "pass", ""), ("pspaces", "pass", ""),
    ("pmissing", "permerror", "no p= tag"), ("revoked", "fail", "key revoked"),
    ("pkcs1", "pass", ""), ("ptruncated", "permerror", "not a valid RSA public key"),
    ("dupp", "permerror", "duplicate tag p="), ("junk", "permerror", "tag without '='"),
    ("multi", "pass", ""), ("nokey", "permerror", "no key for nokey._domainkey.example.com"),
]:
    simple_case("key-" + sel, expected, fragment, s=sel)
simple_case("key-ts-subdomain", "fail", "t=s", s="ts", extra=" i=u@mail.example.com;")
simple_case("key-ts-same-domain", "pass", "", s="ts", extra=" i=u@example.com;")
simple_case("ed25519", "pass", "", a="ed25519-sha256", s="ed")
simple_case("ed25519-spki-key", "permerror", "not 32", a="ed25519-sha256", s="edspki")
simple_case("ed25519-without-k", "permerror", "not a valid RSA public key",
            a="ed25519-sha256", s="ednok")
simple_case("ed25519-rsa-key", "permerror", "is k=rsa", a="ed25519-sha256", s="rsa")

# --- several signatures, and signatures that sign signatures (RFC 6376 §5.4)
older = sign(H, BODY, tpl(a="ed25519-sha256", s="ed"), sel="ed")
good = sign(H, BODY, tpl())
at = good.index(" b=") + 20
tampered = good[:at] + ("A" if good[at] != "A" else "B") + good[at + 1:]
case("two-signatures-one-broken", "pass,fail", "signature did not verify",
     message([older, tampered], H, BODY))
newer = sign([older] + H, BODY, tpl(h="from:dkim-signature"), h="from:dkim-signature")
case("signs-older-signature", "pass,pass", "", message([newer, older], H, BODY))
alone = sign(H, BODY, tpl(h="from:dkim-signature"), h="from:dkim-signature")
# the verifier finds the signature itself as the dkim-signature instance, as the peers do
case("signs-missing-signature", "fail", "signature did not verify", message([alone], H, BODY))


def zone():
    out = ["$ORIGIN example.com.", "@ 300 IN SOA ns hostmaster 1 3600 600 86400 300",
           "@ 300 IN NS ns"]
    for sel, records in RECORDS.items():
        for text in records:
            pieces = " ".join('"%s"' % text[i:i + 250] for i in range(0, max(len(text), 1), 250))
            out.append("%s._domainkey 300 IN TXT %s" % (sel, pieces))
    return "\n".join(out) + "\n"


def dns(name, timeout=5):
    name = name.decode().rstrip(".").lower()
    sel = name[: -len("._domainkey.example.com")] if name.endswith("._domainkey.example.com") else None
    records = RECORDS.get(sel)
    return records[0].encode() if records else None


def dkimpy(msg):
    try:
        d = dkim.DKIM(msg)
        n = len([h for h in d.headers if h[0].lower() == b"dkim-signature"])
        return ",".join("pass" if d.verify(idx=i, dnsfunc=dns) else "fail" for i in range(n))
    except Exception as e:
        return "error(%s)" % type(e).__name__


def opendkim(msg, tmp):
    path = os.path.join(tmp, "m.eml")
    open(path, "wb").write(msg)
    conf = os.path.join(tmp, "v.conf")
    data = os.path.join(tmp, "dns")
    with open(data, "w") as f:
        for sel, records in RECORDS.items():
            f.write("%s._domainkey.example.com %s\n" % (sel, records[0]))
    open(conf, "w").write("Mode v\nSyslog no\nTestDNSData file:%s\nAlwaysAddARHeader yes\n" % data)
    r = subprocess.run(["opendkim", "-x", conf, "-vvv", "-t", path], capture_output=True)
    found = re.findall(rb"dkim=(\w+)", r.stdout + r.stderr)
    return ",".join(x.decode() for x in found) or "none"


def main():
    open(os.path.join(HERE, "edge.zone"), "w").write(zone())
    lines = ["# case | results, one per signature | fragment of the first other reason"
             " | what the peers said at generation time (dkimpy 1.1, OpenDKIM 2.11), for the record"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, expected, fragment, data in CASES:
            open(os.path.join(HERE, name + ".eml"), "wb").write(data)
            timed = name.startswith(("t-", "x-"))
            peers = "clock" if timed else "dkimpy=%s opendkim=%s" % (dkimpy(data), opendkim(data, tmp))
            lines.append("%s | %s | %s | %s" % (name, expected, fragment, peers))
    open(os.path.join(HERE, "expected.txt"), "w").write("\n".join(lines) + "\n")
    print("%d cases" % len(CASES))


if __name__ == "__main__":
    main()
