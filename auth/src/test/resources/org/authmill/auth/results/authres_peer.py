"""Interop driver for the python3-authres library (the A-R writer and parser dkimpy-milter uses).

  parse: reads one JSON string per stdin line (a field value), prints one JSON object per line
  write: prints the field values authres writes for a fixed set of results, one JSON string per line
"""
import json
import re
import sys

import authres
import authres.dmarc


def parse(line):
    value = re.sub(r'\r?\n(?=[ \t])', '', json.loads(line))  # authres expects unfolded text
    header = authres.FeatureContext(authres.dmarc).parse_value(value)
    results = []
    for r in header.results:
        if isinstance(r, authres.NoneAuthenticationResult):
            continue
        results.append({
            'method': r.method,
            'version': r.version,
            'result': r.result,
            'comment': r.result_comment,
            'reason': r.reason,
            'properties': [['%s.%s' % (p.type, p.name), p.value] for p in r.properties],
        })
    return {'authserv_id': header.authserv_id, 'results': results}


def write():
    headers = [
        authres.AuthenticationResultsHeader(authserv_id='mx.example.org', results=[
            authres.SPFAuthenticationResult(result='pass', smtp_mailfrom='bounce@example.com'),
            authres.SPFAuthenticationResult(result='none', smtp_helo='mail.example.com'),
        ]),
        authres.AuthenticationResultsHeader(authserv_id='mx.example.org', results=[
            authres.DKIMAuthenticationResult(
                result='pass', result_comment='2048-bit rsa key sha256',
                header_d='example.com', header_i='@example.com', header_a='rsa-sha256',
                header_s='sel1',
                properties=[authres.AuthenticationResultProperty('header', 'b', 'ab/Cd+Ef')]),
            authres.DKIMAuthenticationResult(
                result='fail', reason='signature verification failed',
                header_d='example.net', header_s='old'),
        ]),
        authres.AuthenticationResultsHeader(authserv_id='mx.example.org', results=[
            authres.dmarc.DMARCAuthenticationResult(
                result='fail', result_comment='p=reject dis=reject',
                header_from='example.com', policy='reject'),
        ]),
        authres.AuthenticationResultsHeader(authserv_id='mx.example.org', version='1'),
    ]
    for h in headers:
        text = str(h)
        prefix = 'Authentication-Results: '
        print(json.dumps(text[len(prefix):] if text.startswith(prefix) else text))


if __name__ == '__main__':
    if sys.argv[1] == 'parse':
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(parse(line)))
    else:
        write()
