"""dkimpy as an interop peer for authmill's tests.

  dkimpy_peer.py sign SELECTOR DOMAIN KEYFILE HEADER_CANON BODY_CANON ALGORITHM < message > field
  dkimpy_peer.py verify PORT < message      prints pass or fail (and dkimpy's log on fail)
  dkimpy_peer.py verify-each PORT < message prints one line per DKIM-Signature, in order:
      "pass d= s= a=" or "fail d= s= a="
  dkimpy_peer.py serve PORT                 answers many requests over stdin/stdout: each request
      is one line "sign SELECTOR DOMAIN KEYFILE HEADER_CANON BODY_CANON ALGORITHM LENGTH" or
      "verify LENGTH", then LENGTH octets of message; each answer is a line "LENGTH", then LENGTH
      octets (the signature field, or "pass"/"fail ..."), so one Python start serves a whole matrix

Keys are fetched over DNS from 127.0.0.1:PORT (the test's NSD) with a minimal TXT client.
"""
import io
import logging
import random
import socket
import struct
import sys

import dkim


def _name(data, offset):
    labels = []
    jumped = False
    end = offset
    while True:
        length = data[offset]
        if length & 0xC0 == 0xC0:
            if not jumped:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | data[offset + 1]
            jumped = True
            continue
        if length == 0:
            if not jumped:
                end = offset + 1
            return b".".join(labels), end
        labels.append(data[offset + 1:offset + 1 + length])
        offset += 1 + length


def txt(port, name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode("ascii")
    qid = random.randrange(65536)
    query = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1)
    for label in name.rstrip(".").split("."):
        query += bytes([len(label)]) + label.encode("ascii")
    query += b"\x00" + struct.pack(">HH", 16, 1)
    query += b"\x00" + struct.pack(">HHIH", 41, 4096, 0, 0)  # EDNS0, 4096-octet UDP
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(timeout)
    try:
        sock.sendto(query, ("127.0.0.1", port))
        data, _ = sock.recvfrom(65535)
    finally:
        sock.close()
    _, flags, qdcount, ancount, _, _ = struct.unpack(">HHHHHH", data[:12])
    if flags & 0x000F != 0:
        return None
    offset = 12
    for _ in range(qdcount):
        _, offset = _name(data, offset)
        offset += 4
    for _ in range(ancount):
        _, offset = _name(data, offset)
        rtype, _, _, rdlength = struct.unpack(">HHIH", data[offset:offset + 10])
        offset += 10
        rdata = data[offset:offset + rdlength]
        offset += rdlength
        if rtype == 16:
            out = b""
            i = 0
            while i < len(rdata):
                out += rdata[i + 1:i + 1 + rdata[i]]
                i += 1 + rdata[i]
            return out
    return None


def sign(message, selector, domain, keyfile, hcanon, bcanon, algorithm):
    key = open(keyfile, "rb").read().strip()
    return dkim.sign(
        message,
        selector.encode(),
        domain.encode(),
        key,
        canonicalize=(hcanon.encode(), bcanon.encode()),
        signature_algorithm=algorithm.encode(),
    )


def verify(message, port):
    log = io.StringIO()
    logger = logging.getLogger("dkimpy_peer")
    logger.handlers = [logging.StreamHandler(log)]
    logger.setLevel(logging.DEBUG)
    try:
        ok = dkim.verify(
            message, logger=logger, dnsfunc=lambda name, timeout=5: txt(port, name, timeout)
        )
    except Exception as e:  # dkimpy raises on messages it cannot parse
        return ("fail exception %r" % e).encode()
    return b"pass" if ok else ("fail " + log.getvalue()).encode()


def verify_each(message, port):
    d = dkim.DKIM(message)
    lines = []
    count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
    for idx in range(count):
        sig = dkim.parse_tag_value(
            [v for n, v in d.headers if n.lower() == b"dkim-signature"][idx]
        )
        ok = d.verify(idx=idx, dnsfunc=lambda name, timeout=5: txt(port, name, timeout))
        lines.append(
            "%s d=%s s=%s a=%s"
            % (
                "pass" if ok else "fail",
                sig.get(b"d", b"").decode(),
                sig.get(b"s", b"").decode(),
                sig.get(b"a", b"").decode(),
            )
        )
    return "\n".join(lines)


def serve(port):
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        line = stdin.readline()
        if not line:
            return 0
        words = line.decode("ascii").split()
        message = stdin.read(int(words[-1]))
        try:
            if words[0] == "sign":
                answer = sign(message, *words[1:7])
            else:
                answer = verify(message, port)
        except Exception as e:
            answer = ("error %r" % e).encode()
        stdout.write(b"%d\n" % len(answer))
        stdout.write(answer)
        stdout.flush()


def main():
    if sys.argv[1] == "serve":
        return serve(int(sys.argv[2]))
    message = sys.stdin.buffer.read()
    if sys.argv[1] == "sign":
        sys.stdout.buffer.write(sign(message, *sys.argv[2:8]))
        return 0
    if sys.argv[1] == "verify-each":
        print(verify_each(message, int(sys.argv[2])))
        return 0
    print(verify(message, int(sys.argv[2])).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
