"""The person blind index: find a person by a whole name (either script) or an exact date of birth without storing either.

The keyed HMAC and its key come from keys/blind_index.py; this module chooses what is indexed (the matcher's
search tokens, cases.names.tokens: one loose root per word, so that Умаров, Umarzoda and Umar, or Асылбеков and
Asylbek uulu, meet; the ISO date of birth) and how wide each index is. Truncation follows
CipherSweet's guidance: with R indexed values, each index value should be shared by C = R / 2**bits >= 2
of them on average, and C < sqrt(R). A search therefore returns a few false candidates, which
`person_ids_matching` removes by opening the candidates' names. docs/data-protection.md gives the figures.

Reporters' names are indexed too (their own index and key, REPORTER_NAME), with entries that point at the
case's person, so that a caseworker finds a case by the name of the relative who called.

The services keep the index current (case_create, case_update and the contact services call
`person_index_update`); there are no signals. `rebuild_index` re-computes everything (after a change of bits, or of the normaliser).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count

from cases.models import Case, Contact, Person, PersonIndexEntry
from cases.names import normalise, tokens
from keys import blind_index

NAME = PersonIndexEntry.Index.NAME
BIRTH_DATE = PersonIndexEntry.Index.BIRTH_DATE
REPORTER_NAME = PersonIndexEntry.Index.REPORTER_NAME

# Sized for ~100,000 people: ~260,000 name roots / 2**16 = 4.0 per value, 100,000 dates / 2**15 = 3.1 per value
# (docs/data-protection.md); about one reporter a case, so about as many reporter roots as name roots.
BITS = {NAME: 16, BIRTH_DATE: 15, REPORTER_NAME: 16}
NAME_FIELDS = ("name_latin", "name_cyrillic", "aliases")
_DATE_QUERY = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})$")


def index_value(index: str, token: str, *, key: bytes | None = None) -> int:
    return blind_index.index_value(index, token, bits=BITS[index], key=key)


def person_name_tokens(person: Person) -> set[str]:
    found: set[str] = set()
    for name in NAME_FIELDS:
        found.update(tokens(getattr(person, name) or ""))
    return found


def _reporter_names(person_ids) -> dict:
    names: dict = {}
    reporters = Contact.objects.filter(case__person__in=person_ids, is_reporter=True).select_related("case")
    for contact in reporters.only("pk", "name", "case__person_id"):  # a sealed value opens on its own row
        names.setdefault(contact.case.person_id, []).append(contact.name)
    return names


def _entries(person: Person, keys: dict[str, bytes], reporter_names: Iterable[str] = ()) -> list[PersonIndexEntry]:
    values = {(NAME, index_value(NAME, t, key=keys[NAME])) for t in person_name_tokens(person)}
    values |= {(REPORTER_NAME, index_value(REPORTER_NAME, t, key=keys[REPORTER_NAME]))
               for name in reporter_names for t in tokens(name or "")}
    if person.birth_date:
        values.add((BIRTH_DATE, index_value(BIRTH_DATE, person.birth_date.isoformat(), key=keys[BIRTH_DATE])))
    return [PersonIndexEntry(person_id=person.pk, index=i, value=v) for i, v in sorted(values)]


def _keys() -> dict[str, bytes]:
    return {index: blind_index.index_key(index) for index in BITS}


def person_index_update(*, person: Person) -> None:
    """Replace a person's index entries (with their case's reporters'); runs inside the calling service's transaction."""
    PersonIndexEntry.objects.filter(person_id=person.pk).delete()
    PersonIndexEntry.objects.bulk_create(_entries(person, _keys(), _reporter_names([person.pk]).get(person.pk, ())))


def rebuild_index(*, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-compute every person's entries, one committed batch at a time. Returns the number of people."""
    keys = None
    total = Person.objects.count()
    done = 0
    last = None
    while True:
        qs = Person.objects.order_by("pk").only("pk", *NAME_FIELDS, "birth_date")
        if last is not None:
            qs = qs.filter(pk__gt=last)
        batch = list(qs[:batch_size])
        if not batch:
            return done
        keys = keys or _keys()  # an empty database gets no index keys yet
        with transaction.atomic():
            reporters = _reporter_names([p.pk for p in batch])
            PersonIndexEntry.objects.filter(person_id__in=[p.pk for p in batch]).delete()
            PersonIndexEntry.objects.bulk_create([e for p in batch for e in _entries(p, keys, reporters.get(p.pk, ()))])
        done += len(batch)
        last = batch[-1].pk
        if progress:
            progress(done, total)


def _parse_date(query: str) -> datetime.date | None:
    """A full date of birth typed as YYYY-MM-DD or DD.MM.YYYY (as lists print it)."""
    from cases.name_compare import birth

    if not _DATE_QUERY.match(query):
        return None
    born = birth(query)
    if born is None or not born.day:
        return None
    return datetime.date(born.year, born.month, born.day)


def query_groups(query: str) -> list[set[str]]:
    """Per word of a name query, the search tokens any of which may stand for it (a second reading adds one)."""
    groups = []
    for part in normalise(query).parts:
        if part.role != "initial":
            group = {part.root} | ({part.alt} if part.alt else set())
            if group not in groups:
                groups.append(group)
    return groups


def person_ids_matching(query: str, *, reporters: bool = False) -> list | None:
    """People whose names hold every word of `query` in any of the forms the matcher knows, or born on `query`;
    with `reporters`, the people whose case has a reporter whose name holds them all.

    A word matches by its root: Umarzoda finds Умаров, Asylbekov finds Ermek Asylbek uulu, Karimovich finds
    Karim o‘g‘li. Initials are ignored. None when the query holds nothing the index can answer. Candidates that
    match only by a truncation coincidence are dropped after their names are opened, so the answer is exact.
    """
    query = (query or "").strip()
    birth_date = _parse_date(query)
    if birth_date is not None:
        value = index_value(BIRTH_DATE, birth_date.isoformat())
        held = PersonIndexEntry.objects.filter(index=BIRTH_DATE, value=value).values("person_id")
        people = Person.objects.filter(pk__in=held).only("pk", "birth_date")
        return [p.pk for p in people if p.birth_date == birth_date]
    groups = query_groups(query)
    if not groups:
        return None
    if reporters:
        # A family often shares a surname: the reporters' names are searched only when asked for.
        names = _reporter_names(_holding_every_group(REPORTER_NAME, groups))
        return [pk for pk, held in names.items() if any(all(group & set(tokens(n or "")) for group in groups) for n in held)]
    people = Person.objects.filter(pk__in=_holding_every_group(NAME, groups)).only("pk", *NAME_FIELDS, "birth_date")
    return [p.pk for p in people if all(group & person_name_tokens(p) for group in groups)]


def _holding_every_group(index: str, groups: list[set[str]]):
    """The ids of people holding a value of every group (a common root such as "karim" is held by thousands)."""
    key = blind_index.index_key(index)
    wanted = [{index_value(index, t, key=key) for t in group} for group in groups]
    values = set().union(*wanted)
    if all(len(group) == 1 for group in wanted):
        # One value per word: the database intersects and returns only the people holding all of them.
        return (
            PersonIndexEntry.objects.filter(index=index, value__in=values)
            .values("person_id")
            .annotate(held=Count("value", distinct=True))
            .filter(held=len(values))
            .values("person_id")
        )
    held: dict = {}
    rows = PersonIndexEntry.objects.filter(index=index, value__in=values).values_list("person_id", "value")
    for person_id, value in rows.iterator(chunk_size=5000):
        held.setdefault(person_id, set()).add(value)
    return [pid for pid, got in held.items() if all(got & group for group in wanted)]


def sort_by_person_name(cases: Iterable[Case], *, descending: bool = False) -> list[Case]:
    """Sort one page of cases by the person's name, after decryption: the database cannot order ciphertexts.

    Names compare by their normalised form, so Cyrillic and Latin spellings interleave as one alphabet.
    """
    from cases.names import normalise_name

    def key(case: Case):
        person = case.person
        return (normalise_name(person.name_latin or person.name_cyrillic or ""), case.reference)

    return sorted(cases, key=key, reverse=descending)
