#!/usr/bin/env python3
"""An SMTP server for the mail tests (aiosmtpd), over TLS as a hosted relay is.

  smtp-receiver.py PORT MODE DIR USER PASSWORD

MODE is `starttls` (TLS required before anything else, AUTH only over it) or `tls`
(TLS from the first byte). The server's certificate is made afresh for localhost
and 127.0.0.1 and written to DIR/cert.pem, for the client to trust. Every message,
once the sender has signed in with USER and PASSWORD, is written whole to a file in
DIR/mail (renamed into place, so a reader never sees half of one); a wrong password
answers 535.
"""
import datetime
import ipaddress
import logging
import os
import signal
import ssl
import sys
import threading
import time
import uuid
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# aiosmtpd warns of AUTH without STARTTLS, and of its own deprecations.
warnings.filterwarnings("ignore")
logging.getLogger("mail.log").setLevel(logging.ERROR)
PORT, MODE, DIR, USER, PASSWORD = sys.argv[1:6]
OUT = os.path.join(DIR, "mail")
CERT, KEY = os.path.join(DIR, "cert.pem"), os.path.join(DIR, "key.pem")


def make_certificate():
    """A self-signed end-entity certificate (rustls refuses a CA as a server)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    with open(KEY, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(CERT + ".tmp", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    os.rename(CERT + ".tmp", CERT)


class Save:
    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        tmp = os.path.join(OUT, "." + name)
        with open(tmp, "wb") as f:
            f.write(f"X-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(f"X-Authenticated: {session.authenticated}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(OUT, name))
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


os.makedirs(OUT, exist_ok=True)
make_certificate()
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(CERT, KEY)
options = dict(authenticator=authenticator, auth_required=True)
if MODE == "starttls":
    options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
else:
    # The whole connection is TLS; aiosmtpd counts only STARTTLS as such.
    options.update(ssl_context=context, auth_require_tls=False)
controller = Controller(Save(), hostname="127.0.0.1", port=int(PORT), server_hostname="localhost", **options)
controller.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()
