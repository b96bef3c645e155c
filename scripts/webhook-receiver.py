#!/usr/bin/env python3
"""A webhook receiver for the tests: verifies every delivery with the published
Standard Webhooks library and logs one JSON line per request.

  webhook-receiver.py PORT LOG SECRETS [FAIL_EVERY]

SECRETS is a file of whsec_ secrets, one per line, read again on every request (the
test writes it once it has made the endpoint). FAIL_EVERY=n answers 500 to the
first attempt of every n-th message. Paths choose the answer: /gone answers 410,
/busy answers 503 with Retry-After: 3 to a message's first attempt, /down answers
500 to every attempt; anything else
answers 204 once the signature holds, 401 when it does not.
"""
import json
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, LOG, SECRETS = int(sys.argv[1]), sys.argv[2], sys.argv[3]
FAIL_EVERY = int(sys.argv[4]) if len(sys.argv) > 4 else 0
seen = {}
lock = threading.Lock()


def verified(body, headers):
    try:
        secrets = [s.strip() for s in open(SECRETS) if s.strip()]
    except FileNotFoundError:
        secrets = []
    for secret in secrets:
        try:
            Webhook(secret).verify(body, headers)
            return True
        except WebhookVerificationError:
            continue
    return False


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        msg = headers.get("webhook-id", "")
        # Endpoints share a message's id, so attempts are counted per path.
        with lock:
            attempt = seen[(self.path, msg)] = seen.get((self.path, msg), 0) + 1
        valid = verified(body, headers)
        extra = {}
        if not valid:
            status = 401
        elif self.path == "/gone":
            status = 410
        elif self.path == "/down":
            status = 500
        elif self.path == "/busy" and attempt == 1:
            status, extra = 503, {"Retry-After": "3"}
        elif FAIL_EVERY and attempt == 1 and zlib.crc32(msg.encode()) % FAIL_EVERY == 0:
            status = 500
        else:
            status = 204
        try:
            kind = json.loads(body).get("type")
        except ValueError:
            kind = None
        line = {"at": time.time(), "path": self.path, "id": msg, "attempt": attempt, "valid": valid,
                "type": kind, "status": status,
                "signature": headers.get("webhook-signature", "")}
        with lock, open(LOG, "a") as log:
            log.write(json.dumps(line) + "\n")
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    # Many deliveries connect at once: the default backlog of 5 would refuse some.
    request_queue_size = 256
    daemon_threads = True


Server(("127.0.0.1", PORT), Handler).serve_forever()
