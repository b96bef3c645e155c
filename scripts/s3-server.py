#!/usr/bin/env python3
"""An S3-compatible server for the storage tests: moto in server mode.

  s3-server.py PORT BUCKET...

Listens on 127.0.0.1:PORT, keeps objects in memory, and makes each BUCKET (the
port opens first: a client waits until its bucket answers). Any access key signs
in. Stops on SIGTERM or when killed.
"""
import logging
import signal
import sys
import threading

import boto3
from moto.server import ThreadedMotoServer

# One line per request would drown the tests' own output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)
port = int(sys.argv[1])
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
s3 = boto3.client(
    "s3",
    endpoint_url=f"http://127.0.0.1:{port}",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    region_name="us-east-1",
)
for bucket in sys.argv[2:]:
    s3.create_bucket(Bucket=bucket)

stopped = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stopped.set())
stopped.wait()
server.stop()
