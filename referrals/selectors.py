"""Reads of assessments and referrals, scoped to the user through cases.selectors.

Legal work needs `prepare_referral` on the case; "not there" and "not yours" are the
same Http404.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from cases.models import Case
from cases.selectors import case_perms, case_rows, case_rows_filter, cases_for, compiled_case_rows

from referrals import evidence_api
from referrals.models import (
    ELEMENT,
    ILO_INDICATORS,
    INDICATOR,
    PALERMO_ELEMENTS,
    STRENGTH_RANK,
    Assessment,
    AssessmentItem,
    Referral,
    ReviewRequest,
    Strength,
    SupportLink,
    item_code,
)

REFERRAL_PERM = "prepare_referral"


def assessment_for(user, *, case: Case) -> Assessment | None:
    """The case's assessment, or None if legal has not started one."""
    return Assessment.objects.filter(case_rows_filter(user, case, perm=REFERRAL_PERM)).first()


@dataclass
class ItemView:
    """One element or indicator as the assessment page and the dossier show it."""

    kind: str
    code: str
    label: str
    option_choices: list = field(default_factory=list)
    item: AssessmentItem | None = None
    options: list = field(default_factory=list)
    links: list = field(default_factory=list)

    @property
    def full_code(self) -> str:
        return item_code(self.kind, self.code)

    @property
    def supported(self) -> bool:
        return bool(self.links)

    @property
    def strength(self) -> str:
        """The strongest support, '' when there is none."""
        best = max((STRENGTH_RANK[Strength(link.strength)] for link in self.links), default=0)
        return {3: Strength.STRONG, 2: Strength.MODERATE, 1: Strength.WEAK}.get(best, "")

    @property
    def strength_label(self) -> str:
        return Strength(self.strength).label if self.strength else ""

    @property
    def option_labels(self) -> list[str]:
        labels = dict(self.option_choices)
        return [str(labels[o]) for o in self.options if o in labels]

    @property
    def note(self) -> str:
        return self.item.note if self.item else ""

    def links_of(self, kind: str) -> list:
        return [link for link in self.links if link.target_kind == kind]


@dataclass
class AssessmentView:
    assessment: Assessment | None
    elements: list[ItemView]
    indicators: list[ItemView]
    files: dict

    @property
    def palermo_met(self) -> bool:
        """All three elements supported (for a child, means is not needed; Dalil's subjects are adults)."""
        return all(e.supported for e in self.elements)

    @property
    def missing_elements(self) -> list[ItemView]:
        return [e for e in self.elements if not e.supported]

    @property
    def supported_indicators(self) -> list[ItemView]:
        return [i for i in self.indicators if i.supported]

    @property
    def missing_indicators(self) -> list[ItemView]:
        return [i for i in self.indicators if not i.supported]


def assessment_view_for(user, *, case: Case) -> AssessmentView:
    """Every element and indicator, with what supports it (or nothing) — supported, by what, and what is missing."""
    assessment = assessment_for(user, case=case)
    items: dict[str, AssessmentItem] = {}
    if assessment is not None:
        for item in assessment.items.prefetch_related("links__event__location", "links__source"):
            items[item.code] = item
    files = {str(f.pk): f for f in evidence_api.files_for(user, case=case)}

    def view(kind, code, label, choices=()):
        item = items.get(item_code(kind, code))
        links = []
        if item is not None:
            # A link to a file the user can no longer see is not shown and supports nothing.
            links = [
                link for link in item.links.all() if link.evidence_file_id is None or str(link.evidence_file_id) in files
            ]
            for link in links:
                link.file = files.get(str(link.evidence_file_id)) if link.evidence_file_id else None
        return ItemView(
            kind=kind, code=code, label=str(label), option_choices=list(choices), item=item,
            options=list(item.options) if item else [], links=links,
        )

    elements = [view(ELEMENT, code, label, choices) for code, (label, choices) in PALERMO_ELEMENTS.items()]
    indicators = [view(INDICATOR, code, label) for code, label in ILO_INDICATORS.items()]
    return AssessmentView(assessment=assessment, elements=elements, indicators=indicators, files=files)


def support_link_get_for(user, *, case: Case, link_id) -> SupportLink:
    """A supporting link of the case's assessment, for a user who prepares its referrals; else Http404."""
    assessment = assessment_for(user, case=case)
    try:
        return SupportLink.objects.select_related("item").get(pk=link_id, item__assessment=assessment)
    except (SupportLink.DoesNotExist, ValueError):
        raise Http404("No such link.") from None


def _review_requests(rows) -> QuerySet[ReviewRequest]:
    return ReviewRequest.objects.filter(rows).select_related("requested_by")


def review_requests_for(user, *, case: Case) -> QuerySet[ReviewRequest]:
    return _review_requests(case_rows_filter(user, case))


_LATEST_REVIEW_REQUESTS = compiled_case_rows(lambda rows: _review_requests(rows)[:3])


def referrals_for(user, *, case: Case | None = None, perm: str = REFERRAL_PERM) -> QuerySet[Referral]:
    qs = Referral.objects.filter(case__in=cases_for(user, perm=perm)).select_related("case", "case__person")
    if case is not None:
        qs = qs.filter(case=case)
    return qs


def referral_get_for(user, *, referral_id, perm: str = REFERRAL_PERM) -> Referral:
    """One referral of a case the user may prepare referrals for, or Http404."""
    try:
        return referrals_for(user, perm=perm).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError):
        raise Http404("No such referral.") from None


def case_section(user, case) -> dict:
    """The case page's referrals section: may this user ask for a review, prepare referrals, and which are there."""
    held = case_perms(user, case)
    legal = REFERRAL_PERM in held
    return {
        "can_ask_review": "change_case" in held,
        "legal": legal,
        "referrals": list(referrals_for(user, case=case)) if legal else [],
        "reviews": case_rows(_LATEST_REVIEW_REQUESTS, user, case),
    }
