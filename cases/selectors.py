"""Every read of cases and what hangs off them goes through here.

Each function takes the user and returns something already scoped to what that
user may see. "Not there" and "not yours" raise the same Http404, so that the
existence of a reference number never leaks.
"""

import functools
from collections.abc import Callable

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import Http404

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from accounts.roles import CASE_PERMS
from cases import blind_index
from cases.models import Case, CaseAssignment, Consent, Contact, Event, Source
from common.compiled import PLACEHOLDER_INT, PLACEHOLDER_TEXT, PLACEHOLDER_UUID, Compiled


def cases_for(user, *, perm: str = "view_case") -> QuerySet[Case]:
    """The cases this user may see (or hold `perm` on): one query over the direct-FK grant tables.

    A case counts when the user holds `perm` on it directly, or through a group unless the
    case is sensitive, AND one of the user's roles carries `perm`. Nothing is cached between
    requests: a revoked grant, a removed role or a deactivated user applies to the next query.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    # A UNION subquery, not "IN a OR IN b": PostgreSQL turns it into one semi-join over the grant index
    # instead of scanning every case; the role test is uncorrelated, so it is evaluated once (InitPlan).
    # Written out once as SQL (the same query the ORM would build from the three grant tables): it runs
    # on every page, and building it through the ORM cost more than running it.
    return _granted(user.pk, perm)


def _granted(user_id: int, perm: str) -> QuerySet[Case]:
    """cases_for's query for an active user who is not a superuser."""
    sql = _scope_sql()
    return Case.objects.filter(
        RawSQL(sql["role"], [perm, user_id], output_field=BooleanField()),  # nosec B611  # constant SQL from _scope_sql (quoted table names); user values are parameters
        pk__in=RawSQL(sql["grants"], [perm, user_id, perm, user_id, False]),  # nosec B611  # constant SQL from _scope_sql (quoted table names); user values are parameters
    )


@functools.cache
def _scope_sql() -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    user_groups = table(get_user_model().groups.through)
    return {
        "role": (
            f"EXISTS (SELECT 1 FROM {table(Permission)} p INNER JOIN {table(ContentType)} ct ON p.content_type_id = ct.id"  # nosec B608  # table names from model metadata, quoted by quote_name; values are parameters
            f" INNER JOIN {table(Permission.group_set.through)} gp ON gp.permission_id = p.id"
            f" INNER JOIN {user_groups} ug ON ug.group_id = gp.group_id"
            " WHERE p.codename = %s AND ct.app_label = 'cases' AND ct.model = 'case' AND ug.user_id = %s)"
        ),
        "grants": (
            f"SELECT g.content_object_id FROM {table(CaseUserObjectPermission)} g"  # nosec B608  # table names from model metadata, quoted by quote_name; values are parameters
            f" INNER JOIN {table(Permission)} p ON g.permission_id = p.id WHERE p.codename = %s AND g.user_id = %s"
            " UNION "
            f"SELECT g.content_object_id FROM {table(CaseGroupObjectPermission)} g"
            f" INNER JOIN {table(Permission)} p ON g.permission_id = p.id"
            f" INNER JOIN {table(Case)} c ON c.id = g.content_object_id"
            f" INNER JOIN {user_groups} ug ON ug.group_id = g.group_id"
            " WHERE p.codename = %s AND ug.user_id = %s AND c.is_sensitive = %s"
        ),
        # The same rules for the one case row being fetched (correlated): which case permissions the user holds
        # on it, as bits (1 << the permission's place in CASE_PERMS), by a direct grant or a group's grant on
        # a case that is not sensitive; and which of them the user's roles carry. Three subqueries in all,
        # where one EXISTS per permission and rule made PostgreSQL spend milliseconds planning.
        "held_bits": (
            f"(SELECT COALESCE(SUM(DISTINCT {_BITS}), 0) FROM {table(CaseUserObjectPermission)} g"  # nosec B608  # table names from model metadata, quoted by quote_name; values are parameters
            f" INNER JOIN {table(Permission)} p ON g.permission_id = p.id WHERE g.user_id = %s AND g.content_object_id = {table(Case)}.id)"
            f" | (SELECT COALESCE(SUM(DISTINCT {_BITS}), 0) FROM {table(CaseGroupObjectPermission)} g"
            f" INNER JOIN {table(Permission)} p ON g.permission_id = p.id"
            f" INNER JOIN {user_groups} ug ON ug.group_id = g.group_id"
            f" WHERE ug.user_id = %s AND g.content_object_id = {table(Case)}.id AND {table(Case)}.is_sensitive = %s)"
        ),
        "role_bits": (
            f"(SELECT COALESCE(SUM(DISTINCT {_BITS}), 0) FROM {table(Permission)} p"  # nosec B608  # table names from model metadata, quoted by quote_name; values are parameters
            f" INNER JOIN {table(ContentType)} ct ON p.content_type_id = ct.id"
            f" INNER JOIN {table(Permission.group_set.through)} gp ON gp.permission_id = p.id"
            f" INNER JOIN {user_groups} ug ON ug.group_id = gp.group_id"
            " WHERE ct.app_label = 'cases' AND ct.model = 'case' AND ug.user_id = %s)"
        ),
    }


# A case permission's bit: its place in CASE_PERMS (constant SQL: the code names are ours, not a user's).
_BITS = "CASE p.codename " + " ".join(f"WHEN '{perm}' THEN {1 << i}" for i, perm in enumerate(CASE_PERMS)) + " ELSE 0 END"


def _holds_annotations(user_id: int) -> dict[str, RawSQL]:
    """For case_get_for: the case permissions the user holds on the case and those their roles carry, as bits,
    answered in the query that fetches the case."""
    sql = _scope_sql()
    return {
        "_dalil_held_bits": RawSQL(sql["held_bits"], [user_id, user_id, False], output_field=IntegerField()),  # nosec B611  # constant SQL from _scope_sql; user values are parameters
        "_dalil_role_bits": RawSQL(sql["role_bits"], [user_id], output_field=IntegerField()),  # nosec B611  # constant SQL from _scope_sql; user values are parameters
    }


_CASE_RELATED = ("person", "created_by", "updated_by")
# The case of a case page, for an active user who is not a superuser: run on every page about a case, so compiled
# once per process (common/compiled.py); cases_for's rules, with what the user holds on the case.
_CASE_BY_REFERENCE = Compiled(
    lambda user_id, perm, reference: _granted(user_id, perm).select_related(*_CASE_RELATED).annotate(**_holds_annotations(user_id))
    .filter(reference=reference).order_by()[:2],
    user_id=PLACEHOLDER_INT, perm=PLACEHOLDER_TEXT + "perm", reference=PLACEHOLDER_TEXT + "reference",
)


def case_get_for(user, *, reference: str, perm: str = "view_case") -> Case:
    """One case by reference, or Http404 whether it is missing or not this user's."""
    # What else the user holds on the case comes in the same query (case_perms then asks nothing more).
    held = not (user is None or not user.is_authenticated or not user.is_active or user.is_superuser)
    if held:
        found = _CASE_BY_REFERENCE.instances(user_id=user.pk, perm=perm, reference=reference)
        if len(found) != 1:
            raise Http404("No such case.")
        case = found[0]
    else:
        try:
            case = cases_for(user, perm=perm).select_related(*_CASE_RELATED).get(reference=reference)
        except Case.DoesNotExist:
            raise Http404("No such case.") from None
    if held:
        bits = int(case.__dict__.pop("_dalil_held_bits")) & int(case.__dict__.pop("_dalil_role_bits"))
        perms = {p for i, p in enumerate(CASE_PERMS) if bits & (1 << i)}
    else:
        perms = set(CASE_PERMS)
    _remember(case, user, perms | {perm}, complete=True)
    return case


# --- What one user holds on one case, asked once per request ----------------------------
#
# A page about one case reads its events, contacts, sources, consents, files and referrals. Each read is
# still scoped to the user, but the question "may this user read this case?" is answered once: by the
# query that fetched the case (case_get_for) or by case_perms(), and the answer rides on that Case
# instance, for that user only. A Case loaded any other way carries nothing and is asked afresh.

_ACCESS = "_dalil_access"  # {user pk: (permissions known to be held, whether that is all of them)}


def _known(case: Case, user) -> tuple[frozenset[str], bool] | None:
    return case.__dict__.get(_ACCESS, {}).get(getattr(user, "pk", None))


def _remember(case: Case, user, perms: set[str], *, complete: bool) -> None:
    known = case.__dict__.setdefault(_ACCESS, {})
    before = known.get(user.pk)
    if before is not None and not complete:
        perms, complete = perms | before[0], before[1]
    known[user.pk] = (frozenset(perms), complete)


def case_perms(user, case: Case, *, fresh: bool = False) -> frozenset[str]:
    """The case permissions (accounts.roles.CASE_PERMS) this user holds on this case, by the rules of
    cases_for, in one query; remembered on the instance unless `fresh` asks the database again."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    known = _known(case, user)
    if known is not None and known[1] and not fresh:
        return known[0]
    perm_of_case = Permission.objects.filter(content_type__app_label="cases", content_type__model="case")
    if user.is_superuser:
        perms = set(CASE_PERMS)
    else:
        direct = CaseUserObjectPermission.objects.filter(user=user.pk, content_object=case.pk)
        via_group = CaseGroupObjectPermission.objects.filter(
            group__user=user.pk, content_object=case.pk, content_object__is_sensitive=False
        )
        rows = set(
            direct.order_by().values_list("permission__codename", Value("grant")).union(
                via_group.order_by().values_list("permission__codename", Value("grant")),
                perm_of_case.filter(group__user=user.pk).order_by().values_list("codename", Value("role")),
            )
        )
        perms = {code for code, kind in rows if kind == "grant"} & {code for code, kind in rows if kind == "role"}
        perms &= set(CASE_PERMS)
    _remember(case, user, perms, complete=True)
    return frozenset(perms)


def user_has_case_perm(user, case: Case, perm: str = "view_case") -> bool:
    """Whether the user holds `perm` on the case (answered from the instance when it already knows)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    known = _known(case, user)
    if known is not None and perm in known[0]:
        return True
    return perm in case_perms(user, case)


def case_rows_filter(user, case: Case, *, perm: str = "view_case") -> Q:
    """A filter for the rows of this case, or for nothing when the user may not read it (holds `perm`)."""
    return Q(case=case.pk) if user_has_case_perm(user, case, perm) else Q(pk__in=[])


def case_list_for(
    user,
    *,
    query: str = "",
    search_in: str = "",
    status: str = "",
    nationality: str = "",
    pathway: str = "",
    event_type: str = "",
) -> QuerySet[Case]:
    """The case list: this user's cases, searched and filtered."""
    # The person rows are fetched for the page shown (prefetch), not joined to every case before the sort.
    qs = cases_for(user).prefetch_related("person")
    if query:
        qs = qs.filter(_search_q(query.strip(), reporters=search_in == "reporter"))
    if status:
        qs = qs.filter(status=status)
    if nationality:
        qs = qs.filter(person__nationality=nationality)
    if pathway:
        qs = qs.filter(pathway=pathway)
    if event_type:
        qs = qs.filter(Exists(Event.objects.filter(case=OuterRef("pk"), type=event_type)))
    return qs.order_by("-updated_at")


def _search_q(query: str, *, reporters: bool = False) -> Q:
    """A reference (or part of one), a whole name in either script (the person's, or with `reporters` a reporter's),
    or an exact date of birth.

    Names and dates are encrypted, so they are found through the keyed blind index, never compared in SQL.
    """
    condition = Q(reference__icontains=query)
    person_ids = blind_index.person_ids_matching(query, reporters=reporters)
    if person_ids:
        condition |= Q(person_id__in=person_ids)
    return condition


def _events(rows: Q) -> QuerySet[Event]:
    return Event.objects.filter(rows).select_related("location", "contact_with").prefetch_related("perpetrators", "sources")


def events_for(user, *, case: Case) -> QuerySet[Event]:
    """The events of a case the caller already resolved through case_get_for."""
    return _events(case_rows_filter(user, case))


# --- The case page's reads, compiled once per process --------------------------------------
#
# The case page reads a dozen kinds of rows hanging off its case; turning each QuerySet into SQL cost more than
# running it. Each such read is written once, as a QuerySet of the rows `build(rows)` given the filter of one
# case's rows, compiled once per process with a placeholder for the case (common/compiled.py), and run with
# case_rows() only for a user who may read the case (user_has_case_perm, as case_rows_filter decides): anyone
# else gets nothing, without a query.


def compiled_case_rows(build: Callable[[Q], QuerySet]) -> Compiled:
    """A read of one case's rows, `build(Q(case=...))`, compiled once; run it with case_rows()."""
    return Compiled(lambda case_id: build(Q(case=case_id)), case_id=PLACEHOLDER_UUID)


def case_rows(compiled: Compiled, user, case: Case, *, perm: str = "view_case") -> list:
    """The rows of a compiled_case_rows() read for this case, or [] when the user may not read it (hold `perm`)."""
    return compiled.instances(case_id=case.pk) if user_has_case_perm(user, case, perm) else []


_TIMELINE = compiled_case_rows(lambda rows: _events(rows).order_by(F("date").asc(nulls_last=True), "created_at"))
_CONTACTS = compiled_case_rows(lambda rows: _contacts(rows))
_SOURCES = compiled_case_rows(lambda rows: _sources(rows))
_CONSENTS = compiled_case_rows(lambda rows: _consents(rows).order_by("-recorded_at"))


def timeline_for(user, *, case: Case) -> list[Event]:
    """The events of the case in the timeline's order: dated first, oldest first; undated last."""
    return case_rows(_TIMELINE, user, case)


def case_page_reads(user, *, case: Case) -> dict[str, list]:
    """What the case page shows of the case's own records: timeline, contacts, sources, consents (newest first)."""
    return {"timeline": timeline_for(user, case=case), "contacts": case_rows(_CONTACTS, user, case),
            "sources": case_rows(_SOURCES, user, case), "consents": case_rows(_CONSENTS, user, case)}


def event_get_for(user, *, case: Case, event_id) -> Event:
    try:
        return events_for(user, case=case).get(pk=event_id)
    except (Event.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such event.") from None


def _contacts(rows: Q) -> QuerySet[Contact]:
    return Contact.objects.filter(rows)


def contacts_for(user, *, case: Case) -> QuerySet[Contact]:
    return _contacts(case_rows_filter(user, case))


def contact_get_for(user, *, case: Case, contact_id) -> Contact:
    try:
        return contacts_for(user, case=case).get(pk=contact_id)
    except (Contact.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such contact.") from None


def _sources(rows: Q) -> QuerySet[Source]:
    return Source.objects.filter(rows).select_related("contact")


def sources_for(user, *, case: Case) -> QuerySet[Source]:
    return _sources(case_rows_filter(user, case))


def source_get_for(user, *, case: Case, source_id) -> Source:
    try:
        return sources_for(user, case=case).get(pk=source_id)
    except (Source.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such source.") from None


def _consents(rows: Q) -> QuerySet[Consent]:
    return Consent.objects.filter(rows).select_related("contact", "recorded_by")


def consents_for(user, *, case: Case) -> QuerySet[Consent]:
    return _consents(case_rows_filter(user, case))


def consent_in_force(user, *, case: Case) -> Consent | None:
    """The newest consent record of the case: it replaces every earlier one."""
    return consents_for(user, case=case).order_by("-recorded_at").first()


def case_total() -> int:
    """How many cases there are in all: a number those who manage access may know (never which cases)."""
    return Case.objects.count()


# --- for the managers of access (references, status and assignments; no content) ---------------------------


def cases_for_access_management(user, *, reference: str = "") -> QuerySet[Case]:
    """Every case (or those whose reference contains `reference`) with its assignments, for a manager of access."""
    if not user.has_perm("accounts.manage_access"):
        raise Http404("No such page.")
    assignments = CaseAssignment.objects.select_related("user").only("case_id", "reason", "user__username")
    cases = Case.objects.only("id", "reference", "status", "is_sensitive").prefetch_related(Prefetch("assignments", queryset=assignments))
    if reference:
        cases = cases.filter(reference__contains=reference)
    return cases.order_by("-created_at")


def assignments_of_user(user, *, person) -> QuerySet[CaseAssignment]:
    """The cases `person` is assigned to (reference and reason only), for a manager of users."""
    if not user.has_perm("accounts.manage_users"):
        raise Http404("No such page.")
    return CaseAssignment.objects.filter(user=person).select_related("case").only("reason", "assigned_at", "case__reference", "case__is_sensitive")
