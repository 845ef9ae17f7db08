"""Every read of cases and what hangs off them goes through here.

Each function takes the user and returns something already scoped to what that
user may see. "Not there" and "not yours" raise the same Http404, so that the
existence of a reference number never leaks.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import CaseGroupObjectPermission, CaseUserObjectPermission
from cases import blind_index
from cases.models import Case, Consent, Contact, Event, Source


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
    direct = CaseUserObjectPermission.objects.filter(user=user.pk, permission__codename=perm).values("content_object_id")
    via_group = CaseGroupObjectPermission.objects.filter(
        group__user=user.pk, permission__codename=perm, content_object__is_sensitive=False
    ).values("content_object_id")
    role_carries_perm = Permission.objects.filter(
        content_type__app_label="cases", content_type__model="case", codename=perm, group__user=user.pk
    )
    # A UNION subquery, not "IN a OR IN b": PostgreSQL turns it into one semi-join over the
    # grant index instead of scanning every case; the role test is evaluated once (InitPlan).
    return Case.objects.filter(Exists(role_carries_perm), pk__in=direct.union(via_group))


def case_get_for(user, *, reference: str, perm: str = "view_case") -> Case:
    """One case by reference, or Http404 whether it is missing or not this user's."""
    try:
        return cases_for(user, perm=perm).select_related("person").get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def case_list_for(
    user,
    *,
    query: str = "",
    status: str = "",
    nationality: str = "",
    pathway: str = "",
    event_type: str = "",
) -> QuerySet[Case]:
    """The case list: this user's cases, searched and filtered."""
    qs = cases_for(user).select_related("person")
    if query:
        qs = qs.filter(_search_q(query.strip()))
    if status:
        qs = qs.filter(status=status)
    if nationality:
        qs = qs.filter(person__nationality=nationality)
    if pathway:
        qs = qs.filter(pathway=pathway)
    if event_type:
        qs = qs.filter(Exists(Event.objects.filter(case=OuterRef("pk"), type=event_type)))
    return qs.order_by("-updated_at")


def _search_q(query: str) -> Q:
    """A reference (or part of one), a whole name in either script, or an exact date of birth (YYYY-MM-DD).

    Names and dates are encrypted, so they are found through the keyed blind index, never compared in SQL.
    """
    q = Q(reference__icontains=query)
    person_ids = blind_index.person_ids_matching(query)
    if person_ids:
        q |= Q(person_id__in=person_ids)
    return q


def events_for(user, *, case: Case) -> QuerySet[Event]:
    """The timeline of a case the caller already resolved through case_get_for."""
    return (
        Event.objects.filter(case__in=cases_for(user).filter(pk=case.pk))
        .select_related("location", "contact_with")
        .prefetch_related("perpetrators", "sources")
    )


def event_get_for(user, *, case: Case, event_id) -> Event:
    try:
        return events_for(user, case=case).get(pk=event_id)
    except (Event.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such event.") from None


def contacts_for(user, *, case: Case) -> QuerySet[Contact]:
    return Contact.objects.filter(case__in=cases_for(user).filter(pk=case.pk))


def contact_get_for(user, *, case: Case, contact_id) -> Contact:
    try:
        return contacts_for(user, case=case).get(pk=contact_id)
    except (Contact.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such contact.") from None


def sources_for(user, *, case: Case) -> QuerySet[Source]:
    return Source.objects.filter(case__in=cases_for(user).filter(pk=case.pk)).select_related("contact")


def source_get_for(user, *, case: Case, source_id) -> Source:
    try:
        return sources_for(user, case=case).get(pk=source_id)
    except (Source.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such source.") from None


def consents_for(user, *, case: Case) -> QuerySet[Consent]:
    return Consent.objects.filter(case__in=cases_for(user).filter(pk=case.pk)).select_related("contact", "recorded_by")


def consent_in_force(user, *, case: Case) -> Consent | None:
    """The newest consent record of the case: it replaces every earlier one."""
    return consents_for(user, case=case).order_by("-recorded_at").first()
