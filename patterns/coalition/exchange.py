"""Coalition exports and counts: what a member hands over (encodings and coarse fields only) and how the
coalition counts unique people across members without any of them seeing a name.

An export (docs/coalition-export.schema.json) holds, per person, the linkage key (patterns.coalition.clk), the
nationality, the year of the first event and an opaque `ref`: an HMAC under the member's own blind-index key,
which only that member's Dalil can recompute to find its own case again (`coalition_lookup`).
"""

from __future__ import annotations

import base64
import datetime
import hmac
import json
from dataclasses import dataclass
from itertools import combinations

from bitarray import bitarray
from django.conf import settings
from django.utils.translation import gettext as _

from patterns.coalition.clk import BITS, SCHEME, Encoder

FORMAT = "dalil-coalition-export/1"
THRESHOLD = 0.9  # Dice similarity of two balanced encodings of one man (calibrated on simulated lists; docs/coalition.md)
REF_INDEX = "coalition-ref"


class ExportError(ValueError):
    """An export that cannot be made or read: the message says why."""


def _ref(person_id) -> str:
    from keys.blind_index import index_key

    return hmac.new(index_key(REF_INDEX), str(person_id).encode(), "sha256").hexdigest()[:24]


def build_export(user, secret: bytes) -> dict:
    """The people of the cases `user` may see, encoded; refuses groups too small to hide in."""
    from patterns.estimation.sources import cases_source

    source = cases_source(user)
    k = settings.DALIL_SMALL_CELL_K
    if len(source.entries) < k:
        raise ExportError(_("Only %(n)s people: an export needs at least %(k)s, so that no one stands out.") % {"n": len(source.entries), "k": k})
    encoder = Encoder(secret)
    records = []
    for entry in source.entries:
        record = entry.record
        clk = encoder.encode(record.names, record.birth_date)
        year = entry.strata.get("period") or None
        records.append({
            "clk": base64.b64encode(clk.tobytes()).decode(),
            "nationality": entry.strata.get("nationality") or None,
            "first_event_year": int(year) if year else None,
            "ref": _ref(record.id),
        })
    records.sort(key=lambda r: r["clk"])  # the order says nothing about the cases' order
    return {"format": FORMAT, "scheme": SCHEME, "bits": 2 * BITS, "secret_check": encoder.secret_check,
            "made": datetime.date.today().isoformat(), "records": records}


@dataclass
class Member:
    label: str
    secret_check: str
    clks: list[bitarray]
    nationality: list[str | None]
    first_event_year: list[int | None]


def read_export(path: str) -> Member:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ExportError(_("%(path)s: not a readable export (%(error)s)") % {"path": path, "error": exc}) from None
    return member_from(data, path.rsplit("/", 1)[-1].removesuffix(".json"))


def member_from(data, path: str) -> Member:
    """A member's export as read from its JSON; `path` names it in messages and results."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("bits") != 2 * BITS:
        raise ExportError(_("%(path)s: not a coalition export of this version") % {"path": path})
    clks = []
    for i, record in enumerate(data.get("records") or []):
        try:
            raw = base64.b64decode(record["clk"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise ExportError(_("%(path)s: record %(i)s has no valid encoding") % {"path": path, "i": i + 1}) from None
        if len(raw) * 8 != 2 * BITS:
            raise ExportError(_("%(path)s: record %(i)s has an encoding of the wrong size") % {"path": path, "i": i + 1})
        bits = bitarray(endian="big")
        bits.frombytes(raw)
        clks.append(bits)
    records = data["records"]
    return Member(path, str(data.get("secret_check", "")), clks,
                  [r.get("nationality") for r in records], [r.get("first_event_year") for r in records])


def link_members(members: list[Member], *, threshold: float = THRESHOLD) -> list[list[tuple[int, int]]]:
    """People across members: groups of (member, record); a group has at most one record per member."""
    import anonlink

    candidates = anonlink.candidate_generation.find_candidate_pairs(
        [m.clks for m in members], anonlink.similarities.dice_coefficient_accelerated, threshold
    )
    groups = [list(g) for g in anonlink.solving.greedy_solve(candidates)]
    grouped = {r for g in groups for r in g}
    singles = [[(i, j)] for i, m in enumerate(members) for j in range(len(m.clks)) if (i, j) not in grouped]
    return groups + singles


def _histories(members: list[Member]) -> tuple[int, dict[tuple[int, ...], int]]:
    if len({m.secret_check for m in members}) != 1:
        raise ExportError(_("The exports were made with different secrets; they cannot be linked."))
    groups = link_members(members)
    histories: dict[tuple[int, ...], int] = {}
    for group in groups:
        seen = [0] * len(members)
        for i, _j in group:
            seen[i] = 1
        histories[tuple(seen)] = histories.get(tuple(seen), 0) + 1
    return len(groups), histories


def count(members: list[Member], *, estimate: bool = False) -> dict:
    unique, histories = _histories(members)
    k = settings.DALIL_SMALL_CELL_K
    overlaps = {}
    for a, b in combinations(range(len(members)), 2):
        n = sum(v for h, v in histories.items() if h[a] and h[b])
        overlaps[f"{members[a].label} & {members[b].label}"] = n if n == 0 or n >= k else f"<{k}"
    out = {"members": {m.label: len(m.clks) for m in members}, "unique": unique, "overlaps": overlaps}
    if estimate and 2 <= len(members) <= 6:
        from patterns.estimation.population import stratum_result

        out["estimate"] = stratum_result("all", histories, [m.label for m in members])
        out["estimate"].pop("histories", None)  # small cells of the capture table could single out a person
    return out


def lookup(refs: list[str], user) -> dict[str, str]:
    """This member's own case references behind refs of its own export (other members' refs match nothing)."""
    from cases.models import Case
    from cases.selectors import cases_for

    wanted = set(refs)
    found = {}
    cases = cases_for(user) if user is not None else Case.objects.all()  # None: the operator's command line
    for case in cases.only("pk", "reference", "person_id"):
        ref = _ref(case.person_id)
        if ref in wanted:
            found[ref] = case.reference
    return found


def encode_source(source, encoder: Encoder) -> Member:
    """One of our own lists (imported or Dalil's cases) encoded as a member, in memory only."""
    clks = [encoder.encode(e.record.names, e.record.birth_date) for e in source.entries]
    return Member(source.label, encoder.secret_check, clks, [None] * len(clks), [None] * len(clks))


def estimate_with_exports(exports: list[dict], sources: list, secret: bytes, *, progress=None) -> list[dict]:
    """The estimate over coalition exports plus our own lists, all linked by their encodings."""
    from patterns.estimation.population import stratum_result

    encoder = Encoder(secret)
    members = [member_from(data, data.get("label") or _("export %(n)s") % {"n": i + 1}) for i, data in enumerate(exports)]
    if any(m.secret_check != encoder.secret_check for m in members):
        raise ExportError(_("An export was made with another secret than the one given; they cannot be linked."))
    if progress:
        progress(10, _("Encoding our lists"))
    members += [encode_source(s, encoder) for s in sources]
    if not 2 <= len(members) <= 6:
        raise ExportError(_("Estimation needs two to six lists, not %(n)s.") % {"n": len(members)})
    if progress:
        progress(50, _("Linking the encodings"))
    _unique, histories = _histories(members)
    result = stratum_result("all", histories, [m.label for m in members])
    return [result]
