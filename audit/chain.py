"""The canonical form of an event, the keyed chain over it, and a streaming verifier.

canonical(event) = JSON array, ASCII only, no spaces, object keys sorted:
    ["dalil-audit/1", seq, at, actor_id, actor_label, action, target_type, target_id,
     case_ref, ip, user_agent, fields, data]
mac(event) = HMAC-SHA256(audit key, mac(previous event) || canonical(event)); 32 zero bytes before event 0.
docs/audit-log.md describes every field byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import json
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import sha256

from django.db import connections

from audit import merkle

VERSION = "dalil-audit/1"
GENESIS = bytes(32)
_dumps = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False).encode
_UTC = dt.timezone.utc


class ChainError(Exception):
    """The log does not verify. `seq` and `event_id` name the first bad event when there is one."""

    def __init__(self, message: str, *, seq: int | None = None, event_id: int | None = None):
        super().__init__(message)
        self.seq = seq
        self.event_id = event_id


def format_at(at: dt.datetime) -> str:
    """UTC, microseconds always present: 2026-11-25T04:49:00.123456+00:00."""
    return at.astimezone(_UTC).isoformat(timespec="microseconds")


def normalise_ip(ip: str | None) -> str | None:
    """The form the database gives back, so that canonical content survives a round trip."""
    if not ip:
        return None
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return str(addr)


def normalise_json(value):
    """A JSON round trip with floats kept as text: jsonb rewrites numbers (1e20 comes back as 100000000000000000000)."""
    return json.loads(json.dumps(value, default=str, allow_nan=False), parse_float=str)


def canonical(seq, at: str, actor_id, actor_label, action, target_type, target_id, case_ref, ip, user_agent, fields, data) -> bytes:
    return _dumps(
        [VERSION, seq, at, actor_id, actor_label, action, target_type, target_id, case_ref, ip, user_agent, fields, data]
    ).encode("ascii")


def canonical_of(event) -> bytes:
    """The canonical content of an AuditEvent instance (its fields already normalised as written)."""
    return canonical(
        event.seq, format_at(event.at), event.actor_id, event.actor_label, event.action, event.target_type,
        event.target_id, event.case_ref, event.ip, event.user_agent, event.fields, event.data,
    )


def next_mac(key: bytes, previous: bytes, content: bytes) -> bytes:
    return hmac.digest(key, previous + content, "sha256")


def mac_function(key: bytes):
    """next_mac with the key schedule done once: copying a keyed HMAC object is about twice as fast as
    hmac.digest's one-shot call, which re-derives the padded keys every time (it matters at a million events)."""
    keyed = hmac.new(key, digestmod=sha256)

    def mac(previous: bytes, content: bytes) -> bytes:
        hasher = keyed.copy()
        hasher.update(previous + content)
        return hasher.digest()

    return mac


# --- reading the log in order -----------------------------------------------------------

# PostgreSQL writes most of the canonical text itself. For ASCII text without DEL (the usual case) its
# to_json() escapes exactly what Python's json with ensure_ascii does ('"', '\\' and control characters,
# in the same forms), so the head of the array (everything before `fields`) comes back as one string,
# starting '["dalil-audit/1",'. A row with any other character comes back as a JSON array of its values
# instead, starting '[<seq>,', and Python writes its head. `fields` and `data` are always re-encoded by
# Python (jsonb orders and spaces keys its own way). The verifier hashes whatever bytes it receives, so
# this changes where the text is written, not what is trusted; a test holds the two writers to the same bytes.
_PG_AT = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
_PG_TEXT = "(actor_label || action || target_type || target_id || case_ref || user_agent)"
_PG_SIMPLE = f"octet_length({_PG_TEXT}) = char_length({_PG_TEXT}) AND strpos({_PG_TEXT}, chr(127)) = 0"
_PG_HEAD = (
    f"'[\"{VERSION}\",' || seq || ',\"' || {_PG_AT} || '\",' || COALESCE(actor_id::text, 'null')"
    " || ',' || to_json(actor_label) || ',' || to_json(action) || ',' || to_json(target_type)"
    " || ',' || to_json(target_id) || ',' || to_json(case_ref) || ',' || COALESCE('\"' || host(ip) || '\"', 'null')"
    " || ',' || to_json(user_agent) || ','"
)
_PG_VALUES = (
    f"json_build_array(seq, {_PG_AT}, actor_id, actor_label, action, target_type, target_id, case_ref, host(ip),"
    " user_agent)::text"
)
_PG_SELECT = (
    f"SELECT id, seq, mac, CASE WHEN {_PG_SIMPLE} THEN {_PG_HEAD} ELSE {_PG_VALUES} END, fields::text, data::text"  # nosec B608  # the interpolated parts are constant SQL fragments of this module; values are parameters
    " FROM audit_auditevent WHERE seq >= %s ORDER BY seq"
)


def _prefetched(cursor, size: int) -> Iterator[list]:
    """The cursor's rows in batches, the next one fetched by a helper thread while the caller works on
    this one: the database builds rows while the verifier hashes (the thread waits on the socket, with
    the GIL released)."""
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def fetch() -> None:
        try:
            while not stop.is_set():
                batch = cursor.fetchmany(size)
                while not stop.is_set():
                    try:
                        batches.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if not batch:
                    return
        except BaseException as exc:  # handed to the caller, raised there
            batches.put(exc)

    thread = threading.Thread(target=fetch, name="audit-rows-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            batch = batches.get()
            if isinstance(batch, BaseException):
                raise batch
            if not batch:
                return
            yield batch
    finally:
        stop.set()
        while thread.is_alive():
            try:
                batches.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()


def rows(*, start: int = 0, using: str = "default", chunk: int = 20_000) -> Iterator[tuple]:
    """(id, seq, mac, canonical bytes) in seq order, read with a server-side cursor where there is one."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # `fields` and `data` come back as jsonb text; most are repeats ("[]", "{}"), so their canonical
        # text is memoised.
        memo: dict[str, str] = {}

        def json_text(text: str) -> str:
            found = memo.get(text)
            if found is None:
                found = _dumps(json.loads(text))
                if len(memo) < 50_000:
                    memo[text] = found
            return found

        with connection.chunked_cursor() as cursor:
            cursor.execute(_PG_SELECT, [start])
            for batch in _prefetched(cursor, chunk):
                for event_id, seq, mac, head, fields_text, data_text in batch:
                    if head[1] != '"':  # the values as a JSON array, not the head already written
                        head = _dumps([VERSION, *json.loads(head)])[:-1] + ","
                    yield event_id, seq, mac, f"{head}{json_text(fields_text)},{json_text(data_text)}]".encode("ascii")
        return
    from audit.models import AuditEvent

    qs = (
        AuditEvent.objects.using(using)
        .filter(seq__gte=start)
        .order_by("seq")
        .values_list(
            "id", "seq", "mac", "at", "actor_id", "actor_label", "action", "target_type", "target_id",
            "case_ref", "ip", "user_agent", "fields", "data",
        )
    )
    for row in qs.iterator(chunk_size=chunk):
        yield row[0], row[1], row[2], canonical(row[1], format_at(row[3]), *row[4:])


# --- verification --------------------------------------------------------------------------


@dataclass
class Verified:
    count: int
    root: bytes
    last_mac: bytes
    roots_at: dict[int, bytes] = field(default_factory=dict)


def verify(
    key: bytes,
    *,
    using: str = "default",
    sizes: Iterable[int] = (),
    limit: int | None = None,
    rows_iter: Iterable[tuple] | None = None,
    start: int = 0,
    previous: bytes = GENESIS,
) -> Verified:
    """Recompute the chain and the tree; raise ChainError at the first bad event.

    `sizes` asks for the tree root at those sizes too (to check checkpoints); `limit` stops after that many
    events. Proofs come from the stored tree state (audit/tree.py), not from here."""
    wanted = sorted(set(sizes))
    roots_at: dict[int, bytes] = {}
    if 0 in wanted:
        roots_at[0] = merkle.EMPTY_ROOT
    want = iter(w for w in wanted if w > 0)
    next_size = next(want, None)
    tree = merkle.CompactRange()
    stack = tree._stack  # the compact range's right edge, updated inline: this loop runs a million times
    expected = start  # from `start` on (rows_iter from there, `previous` the MAC before it): no tree roots then
    mac_of = mac_function(key)
    for event_id, seq, mac, content in rows_iter if rows_iter is not None else rows(using=using):
        if expected == limit:
            break
        if seq != expected:
            if seq > expected:
                raise ChainError(
                    f"event #{expected} is missing (the next one is #{seq}, id {event_id}): an event was deleted",
                    seq=expected,
                    event_id=event_id,
                )
            raise ChainError(f"event #{seq} (id {event_id}) is out of order", seq=seq, event_id=event_id)
        computed = mac_of(previous, content)
        if computed.hex() != mac:
            raise ChainError(
                f"event #{seq} (id {event_id}): its MAC does not match its content and the previous event"
                " (edited, inserted or reordered)",
                seq=seq,
                event_id=event_id,
            )
        previous = computed
        leaf = sha256(b"\x00" + content).digest()
        stack.append(leaf)
        expected += 1
        read_count = expected - start  # the compact range of the leaves read here (the whole tree when start is 0)
        while not read_count & 1:
            right = stack.pop()
            stack[-1] = sha256(b"\x01" + stack[-1] + right).digest()
            read_count >>= 1
        if expected == next_size:
            tree.size = expected
            roots_at[expected] = tree.root()
            next_size = next(want, None)
    tree.size = expected
    return Verified(count=expected, root=tree.root(), last_mac=previous, roots_at=roots_at)
