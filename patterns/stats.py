"""Counts of cases, people and events for the dashboard and its CSV downloads (selectors; read only).

Every count runs over `patterns.access.aggregate_cases(user)`: a caseworker's own cases, or every case
for a role holding `patterns.view_aggregates`. Only plaintext columns are counted (nationality, pathway,
event type, place, month of the event...), so no protected field is decrypted here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cases.closure import ClosureReason
from cases.models import Case, DatePrecision, Event, Location, Person
from cases.timeline import IllTreatmentMethod, MedicalExam
from patterns.access import aggregate_cases

MEASURES = {"cases": _("Cases"), "people": _("People"), "events": _("Events")}

# key -> (title, where it lives, ORM path from Case or from Event, choices for labels)
CASE_DIMENSIONS = {
    "nationality": (_("Nationality"), "person__nationality", Person._meta.get_field("nationality").choices),
    "pathway": (_("Recruitment pathway"), "pathway", Case.Pathway.choices),
    "status": (_("Case status"), "status", Case.Status.choices),
    "whereabouts": (_("Known whereabouts"), "whereabouts", Case.Whereabouts.choices),
    # Closed cases only (CLOSED_ONLY): an open case has no reason for closing.
    "closure_reason": (_("Reason for closing"), "closure_reason", ClosureReason.choices),
}
CLOSED_ONLY = {"closure_reason"}
EVENT_DIMENSIONS = {
    "event_type": (_("Event type"), "type", Event.Type.choices),
    "coercion_means": (_("Coercion means"), "coercion_means", Event.CoercionMeans.choices),
    "region": (_("Region of the place"), "location__region", None),
    "facility": (_("Facility"), "location", None),
    "facility_type": (_("Type of facility"), "location__facility_type", Location.FacilityType.choices),
}
# Dimensions of one event type only: the other types' events have nothing to count there.
ILL_TREATMENT_DIMENSIONS = {
    "ill_treatment_method": (_("Ill-treatment method"), "ill_treatment_methods", IllTreatmentMethod.choices),
    "medical_exam": (_("Medical examination after ill-treatment"), "medical_exam", MedicalExam.choices),
}
# Tags an admin marked safe for statistics (casework/): the name of any other tag never reaches a count.
TAG = "tag"
PERIODS = {"month": _("Month"), "quarter": _("Quarter"), "half_year": _("Half-year"), "year": _("Year")}
DIMENSIONS = {
    **{k: v[0] for k, v in CASE_DIMENSIONS.items()}, **{k: v[0] for k, v in EVENT_DIMENSIONS.items()},
    **{k: v[0] for k, v in ILL_TREATMENT_DIMENSIONS.items()}, **PERIODS, TAG: _("Tag (safe for statistics)"),
}

CASE_FILTERS = {"nationality": "person__nationality", "pathway": "pathway", "status": "status"}
EVENT_FILTERS = {"event_type": "type", "coercion_means": "coercion_means", "region": "location__region"}


@dataclass
class Row:
    key: str
    label: str
    count: int


@dataclass
class Result:
    measure: str
    dimension: str
    rows: list[Row] = field(default_factory=list)
    # Events whose date is too imprecise for the period asked (or unknown), and so not counted.
    left_out: int = 0

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def title(self) -> str:
        return str(DIMENSIONS[self.dimension])

    @property
    def overlaps(self) -> bool:
        """Cases or people counted by something of their events (a month, a kind of event): one case may count
        in several rows, so the rows add up to more than the cases."""
        return self.measure != "events" and self.dimension not in CASE_DIMENSIONS


def small_cell_k() -> int:
    return settings.DALIL_SMALL_CELL_K


def suppress(count: int, k: int | None = None) -> str:
    """A count as exports show it: '<k' for 1..k-1, so that a small cell cannot single out a person."""
    k = small_cell_k() if k is None else k
    return f"<{k}" if 0 < count < k else str(count)


# --- Periods --------------------------------------------------------------


def _period_key(day: datetime.date, period: str) -> str:
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if period == "half_year":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    return f"{day.year:04d}"


def _shift_month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_of(day: datetime.date | None, precision: str, period: str) -> str | None:
    """The period an event falls in, or None when its date is not precise enough to say.

    An exact day or a month counts in every period. A year counts only by year. An approximate date
    (known to about a month, stored as that month) counts only where the month before and the month
    after fall in the same period: "about May 2025" is in Q2 and H1, "about April 2025" is in H1 only.
    """
    if day is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision in (DatePrecision.DAY, DatePrecision.MONTH):
        return _period_key(day, period)
    if precision == DatePrecision.YEAR:
        return _period_key(day, period) if period == "year" else None
    if precision == DatePrecision.APPROXIMATE:
        if period == "month":
            return None
        before, after = _period_key(_shift_month(day, -1), period), _period_key(_shift_month(day, 1), period)
        return before if before == after else None
    return None


def period_label(key: str) -> str:
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return str(_("Q%(q)s %(year)s") % {"q": quarter, "year": year})
    if "-H" in key:
        year, half = key.split("-H")
        return str(_("H%(h)s %(year)s") % {"h": half, "year": year})
    if len(key) == 7:
        from django.utils import formats

        return formats.date_format(datetime.date(int(key[:4]), int(key[5:]), 1), "YEAR_MONTH_FORMAT")
    return key


# --- Counting -------------------------------------------------------------


def _scoped(user, filters: dict):
    """(cases, events) of this user's scope, narrowed by the filters."""
    cases = aggregate_cases(user)
    for name, path in CASE_FILTERS.items():
        if filters.get(name):
            cases = cases.filter(**{path: filters[name]})
    events = Event.objects.filter(case__in=cases)
    event_filtered = False
    for name, path in EVENT_FILTERS.items():
        if filters.get(name):
            events = events.filter(**{path: filters[name]})
            event_filtered = True
    if filters.get("date_from"):
        events = events.filter(date__gte=filters["date_from"])
        event_filtered = True
    if filters.get("date_to"):
        events = events.filter(date__lte=filters["date_to"])
        event_filtered = True
    if event_filtered:
        # A case counts when it has at least one event matching the event filters.
        cases = cases.filter(pk__in=events.values("case_id"))
    return cases, events


def _label(choices, value) -> str:
    if choices:
        for key, label in choices:
            if key == value:
                return str(label)
    return str(value) if value not in (None, "") else str(_("Not recorded"))


def counts(user, *, measure: str = "cases", dimension: str = "nationality", filters: dict | None = None) -> Result:
    """Counts of `measure` by `dimension` over the cases `user` may count."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    filters = filters or {}
    cases, events = _scoped(user, {**filters, "status": Case.Status.CLOSED} if dimension in CLOSED_ONLY else filters)
    result = Result(measure=measure, dimension=dimension)

    if dimension in PERIODS:
        per: dict[str, set] = defaultdict(set)
        n_events: dict[str, int] = defaultdict(int)
        for case_id, person_id, day, precision in events.values_list("case_id", "case__person_id", "date", "date_precision"):
            key = period_of(day, precision, dimension)
            if key is None:
                result.left_out += 1
                continue
            n_events[key] += 1
            per[key].add(person_id if measure == "people" else case_id)
        for key in sorted(n_events):
            value = n_events[key] if measure == "events" else len(per[key])
            result.rows.append(Row(key, period_label(key), value))
        return result

    if dimension in ILL_TREATMENT_DIMENSIONS:
        result.rows = _ill_treatment_rows(events.filter(type=Event.Type.ILL_TREATMENT), measure, dimension)
        return result
    if dimension == TAG:
        result.rows = _tag_rows(cases, measure)
        return result

    if dimension in CASE_DIMENSIONS:
        _title, path, choices = CASE_DIMENSIONS[dimension]
        if measure == "events":
            qs = events.values(value=field_expression("case__", path)).annotate(n=Count("pk"))
        else:
            target = "person" if measure == "people" else "pk"
            qs = cases.values(value=field_expression("", path)).annotate(n=Count(target, distinct=True))
    else:
        _title, path, choices = EVENT_DIMENSIONS[dimension]
        if measure == "events":
            qs = events.values(value=field_expression("", path)).annotate(n=Count("pk"))
        else:
            target = "case__person" if measure == "people" else "case"
            qs = events.values(value=field_expression("", path)).annotate(n=Count(target, distinct=True))
    found = {row["value"]: row["n"] for row in qs.order_by()}
    if dimension == "facility":
        places = {p.pk: str(p) for p in Location.objects.filter(pk__in=[v for v in found if v])}
        rows = [Row(str(v or ""), places.get(v, str(_("No place recorded"))), n) for v, n in found.items()]
    elif choices:
        # Every category, zeros included, so charts of different filters line up.
        rows = [Row(str(key), _label(None, key) if key == "" else str(label), found.pop(key, 0)) for key, label in choices if key != "" or key in found]
        rows += [Row(str(v or ""), _label(None, v), n) for v, n in found.items()]
    else:
        rows = [Row(str(v or ""), _label(None, v), n) for v, n in found.items()]
    if not choices:
        rows.sort(key=lambda r: (-r.count, r.label))
    result.rows = rows
    return result


def _ill_treatment_rows(events, measure: str, dimension: str) -> list[Row]:
    """Every category, zeros included. One event may name several methods: those rows may sum to more than the events."""
    _title, path, choices = ILL_TREATMENT_DIMENSIONS[dimension]
    n_events: dict[str, int] = defaultdict(int)
    per: dict[str, set] = defaultdict(set)
    for case_id, person_id, value in events.values_list("case_id", "case__person_id", path):
        for key in (set(value) or {""}) if isinstance(value, list) else {value or ""}:
            n_events[key] += 1
            per[key].add(person_id if measure == "people" else case_id)
    known = [(str(key), str(label)) for key, label in choices]
    if "" not in dict(known) and n_events.get(""):
        known.append(("", str(_("Not recorded"))))
    return [Row(key, label, n_events[key] if measure == "events" else len(per[key])) for key, label in known]


def _tag_rows(cases, measure: str) -> list[Row]:
    """One row per safe tag; a case may carry several tags, so the rows may sum to more than the cases."""
    from casework.tag_selectors import safe_case_tags, tags_by_id

    target = {"cases": "case", "people": "case__person", "events": "case__events"}[measure]
    found = dict(safe_case_tags(cases).values_list("tag_id").annotate(n=Count(target, distinct=True)).order_by())
    names = tags_by_id(found)
    rows = [Row(str(tag_id), names[tag_id].name, n) for tag_id, n in found.items()]
    return sorted(rows, key=lambda r: (-r.count, r.label.casefold()))


def field_expression(prefix: str, path: str):
    from django.db.models import F

    return F(prefix + path)


def summary(user, *, filters: dict | None = None) -> dict:
    """Totals for the top of the dashboard."""
    cases, events = _scoped(user, filters or {})
    return {
        "cases": cases.count(),
        "people": cases.values("person").distinct().count(),
        "events": events.count(),
    }
