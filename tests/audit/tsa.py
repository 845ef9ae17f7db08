"""A local RFC 3161 time-stamping authority for tests: a small HTTP server that answers with `openssl ts -reply`,
under a throw-away CA and a TSA certificate made here (extended key usage: time-stamping, critical)."""

import datetime
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_CONFIG = """[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


class LocalTSA:
    """`with LocalTSA() as tsa: tsa.url, tsa.ca_file`; `tsa.down = True` makes it answer 503 (unreachable)."""

    def __init__(self, *, key_type: str = "rsa"):
        self.dir = Path(tempfile.mkdtemp(prefix="dalil-tsa-"))
        self.requests = 0
        self.down = False
        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = (x509.CertificateBuilder().subject_name(_name("Test Root CA")).issuer_name(_name("Test Root CA"))
              .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
              .not_valid_after(now + datetime.timedelta(days=30))
              .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
              .sign(ca_key, hashes.SHA256()))
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if key_type == "rsa" else ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(_name("Test TSA")).issuer_name(ca.subject)
                .public_key(key.public_key()).serial_number(2).not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
                .sign(ca_key, hashes.SHA256()))
        (self.dir / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        (self.dir / "tsa.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (self.dir / "tsa.key").write_bytes(_pem_key(key))
        (self.dir / "serial").write_text("01\n")
        (self.dir / "tsa.cnf").write_text(_CONFIG.format(dir=self.dir))
        self.ca_file = str(self.dir / "ca.pem")

    def reply(self, query: bytes) -> bytes:
        with tempfile.NamedTemporaryFile(dir=self.dir, suffix=".tsq", delete=False) as fh:
            fh.write(query)
        out = Path(fh.name).with_suffix(".tsr")
        subprocess.run(["openssl", "ts", "-reply", "-config", str(self.dir / "tsa.cnf"), "-queryfile", fh.name, "-out", str(out)],
                       check=True, capture_output=True, timeout=30)
        return out.read_bytes()

    def __enter__(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests += 1
                if outer.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = outer.reply(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
