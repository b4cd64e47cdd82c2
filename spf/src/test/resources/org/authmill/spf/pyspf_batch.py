# Asks pyspf (Debian python3-spf) the SPF questions of authmill's differential test in one process.
# Usage: /usr/bin/python3 pyspf_batch.py NAMESERVER PORT < cases.jsonl > results.jsonl
# Each input line: {"id": N, "ip": "...", "mailfrom": "...", "helo": "..."}
# Each output line: {"id": N, "result": "...", "explanation": "..."}
import json
import sys

import dns.resolver
import spf

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = [sys.argv[1]]
resolver.port = int(sys.argv[2])
resolver.lifetime = 10
dns.resolver.default_resolver = resolver

for line in sys.stdin:
    case = json.loads(line)
    query = spf.query(i=case["ip"], s=case["mailfrom"], h=case["helo"],
                      receiver="mx.receiver.test", strict=True)
    query.set_default_explanation("DEFAULT")
    result, code, explanation = query.check()
    print(json.dumps({"id": case["id"], "result": result, "explanation": explanation}))
    sys.stdout.flush()
