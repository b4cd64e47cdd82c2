"""dkimpy's ARC (python3-dkim) as an interop peer for authmill's tests.

  arc_peer.py verify PORT < message
      prints the chain status (pass, fail or none), then dkimpy's comment
  arc_peer.py sign PORT DOMAIN SELECTOR KEYFILE SRVID < message
      prints the new ARC set (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results);
      dkimpy takes cv= from the arc= result of the message's Authentication-Results of SRVID

Keys are fetched over DNS from 127.0.0.1:PORT (the test's NSD) with the minimal TXT client of
testdata/dkim/dkimpy_peer.py.
"""
import os
import sys

import dkim

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dkim"))
from dkimpy_peer import txt  # noqa: E402


def main():
    command, port = sys.argv[1], int(sys.argv[2])
    message = sys.stdin.buffer.read()
    dnsfunc = lambda name, timeout=5: txt(port, name, timeout)  # noqa: E731
    if command == "verify":
        cv, _results, comment = dkim.arc_verify(message, dnsfunc=dnsfunc)
        sys.stdout.write(cv.decode() + "\n" + str(comment) + "\n")
        return 0
    if command == "sign":
        domain, selector, keyfile, srvid = sys.argv[3:7]
        key = open(keyfile, "rb").read()
        fields = dkim.arc_sign(
            message, selector.encode(), domain.encode(), key, srvid.encode()
        )
        if not fields:
            sys.stderr.write("dkimpy added no ARC set\n")
            return 1
        sys.stdout.buffer.write(b"".join(fields))
        return 0
    sys.stderr.write("unknown command %s\n" % command)
    return 2


if __name__ == "__main__":
    sys.exit(main())
