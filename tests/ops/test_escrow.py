import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ops.escrow import EscrowError, combine, split


def test_any_threshold_of_shares_rebuilds_the_key():
    key = secrets.token_bytes(32)
    shares = split(key, shares=5, threshold=3)
    assert len(shares) == 5
    assert combine([shares[0], shares[2], shares[4]]) == key
    assert combine(shares[1:4]) == key


def test_too_few_or_mixed_shares_are_refused():
    a = split(secrets.token_bytes(32), shares=3, threshold=2)
    b = split(secrets.token_bytes(32), shares=3, threshold=2)
    with pytest.raises(EscrowError, match="needs 2"):
        combine(a[:1])
    with pytest.raises(EscrowError, match="different keys"):
        combine([a[0], b[1]])


def test_a_damaged_share_is_caught():
    key = secrets.token_bytes(32)
    shares = split(key, shares=3, threshold=2)
    head, data = shares[1].rsplit(":", 1)
    damaged = f"{head}:{'0000' if not data.startswith('0000') else '1111'}{data[4:]}"  # the block holding the key
    with pytest.raises(EscrowError):
        combine([shares[0], damaged])


def test_split_and_combine_commands_round_trip(tmp_path, capsys):
    key_file = tmp_path / "kek"
    key_file.write_bytes(secrets.token_bytes(32))
    call_command("escrow_split", str(key_file), "--shares", "3", "--threshold", "2")
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("dalil-share-v1")]
    out = tmp_path / "rebuilt"
    call_command("escrow_combine", lines[0], lines[2], "--out", str(out))
    assert out.read_bytes() == key_file.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("escrow_combine", lines[0], lines[1], "--out", str(out))
