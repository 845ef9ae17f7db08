"""Consistency proofs a third party can fetch and check, and a witness that answers 409 first (C2SP tlog-witness)."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import checkpoints, keys, proofs, witness
from tests.api.conftest import client_for
from tests.audit.conftest import add_events


def run(cmd, *args):
    out = io.StringIO()
    call_command(cmd, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def three_checkpoints(user):
    rows = []
    for n in (3, 5, 9):
        add_events(user, n)
        rows.append(checkpoints.checkpoint_create())
    return rows  # sizes 3, 8, 17


def test_audit_proof_gives_a_consistency_proof_that_verify_audit_checks_offline(three_checkpoints, tmp_path):
    first, _second, third = three_checkpoints
    doc = json.loads(run("audit_proof", "--consistency", "3", "17"))
    assert doc["type"] == "dalil-audit-consistency-proof/1" and (doc["old_size"], doc["new_size"]) == (3, 17)
    assert doc["old_checkpoint"] == first.note and doc["new_checkpoint"] == third.note
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(doc))
    assert "is a prefix of" in run("verify_audit", "--consistency", str(path))
    # The recipient's own copy of the code, with the key they were given, agrees.
    old, new = proofs.check_consistency_proof(doc, keys.verifier_key())
    assert (old.size, new.size) == (3, 17)

    forged = dict(doc, proof=doc["proof"][:-1])
    path.write_text(json.dumps(forged))
    with pytest.raises(CommandError, match="does not show"):
        run("verify_audit", "--consistency", str(path))
    # A stale proof: the proof from 8 presented as if it were from 3.
    stale = json.loads(run("audit_proof", "--consistency", "8", "17"))
    stale.update(old_checkpoint=first.note, old_size=3)
    path.write_text(json.dumps(stale))
    with pytest.raises(CommandError):
        run("verify_audit", "--consistency", str(path))
    with pytest.raises(CommandError, match="no checkpoint of 4 events"):
        run("audit_proof", "--consistency", "4", "17")


def test_the_api_gives_consistency_proofs_to_token_holders_only(three_checkpoints, cast):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/audit/consistency/?old=3&new=17").status_code in (401, 403)
    client = client_for(cast.legal1, scope="read")
    response = client.get("/api/v1/audit/consistency/?old=8&new=17")
    assert response.status_code == 200, response.content
    old, new = checkpoints.verify_consistency_proof(response.json())
    assert (old.size, new.size) == (8, 17)
    assert client.get("/api/v1/audit/consistency/?old=17&new=3").status_code == 400
    assert client.get("/api/v1/audit/consistency/?old=null&new=3").status_code == 400
    missing = client.get("/api/v1/audit/consistency/?old=5&new=17")
    assert missing.status_code == 404 and "message" in missing.json()


class StandInWitness:
    """A witness that already holds the checkpoint of `held` and answers 409 with that size to anything else."""

    def __init__(self, held_note: str):
        self.held = proofs.parse_checkpoint(held_note, keys.verifier_key())
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                outer.requests.append(body)
                status, ctype, reply = outer.answer(body)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.end_headers()
                self.wfile.write(reply.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/add-checkpoint"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, body: str):
        head, note = body.split("\n\n", 1)
        lines = head.split("\n")
        old = int(lines[0].removeprefix("old "))
        if old != self.held.size:
            return 409, "text/x.tlog.size", f"{self.held.size}\n"
        new = proofs.parse_checkpoint(note, keys.verifier_key())
        try:
            proofs.check_consistency(self.held, new, lines[1:])
        except proofs.ProofError:
            return 422, "text/plain", "bad proof\n"
        self.held = new
        return 200, "text/plain", "\u2014 witness.test AAAAcosignature\n"


def test_a_witness_that_missed_a_checkpoint_gets_a_proof_from_the_size_it_holds(three_checkpoints, settings):
    first, _second, third = three_checkpoints
    stand_in = StandInWitness(first.note)  # it saw 3, missed 8; Dalil believes it holds 8
    try:
        cosignature = witness.submit(third, stand_in.url)
    finally:
        stand_in.server.shutdown()
    assert cosignature == "\u2014 witness.test AAAAcosignature\n"
    assert [r.split("\n", 1)[0] for r in stand_in.requests] == ["old 8", "old 3"]
    assert stand_in.held.size == 17
    from pathlib import Path

    assert (Path(settings.DALIL_AUDIT_CHECKPOINT_DIR) / "cosignatures" / "17").read_text() == cosignature


def test_a_witness_holding_a_larger_tree_is_a_failure_not_a_loop(three_checkpoints):
    _first, second, third = three_checkpoints
    stand_in = StandInWitness(third.note)
    try:
        assert witness.submit(second, stand_in.url) is None
    finally:
        stand_in.server.shutdown()
    assert len(stand_in.requests) == 1
