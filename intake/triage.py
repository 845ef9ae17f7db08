"""Triage: a family report becomes a new case, or part of an existing one, in one transaction with its audit
events (common.transactions.user_action); or it is marked as not for us, with a reply."""

from __future__ import annotations

import datetime
import hashlib
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases import services as case_services
from cases.models import Case, Consent, Event, Source
from common.transactions import service, user_action
from evidence.models import EvidenceFile
from evidence.services import evidence_attach
from intake import services
from intake.models import Submission

_LATIN = re.compile(r"[A-Za-z]")
_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})")


class TriageError(ValueError):
    pass


def birth_of(text: str) -> tuple[datetime.date | None, str]:
    """What a family typed as a date of birth: a full date (day), a year (year or approximate), else unknown."""
    text = (text or "").strip()
    match = _DATE.search(text)
    if not match:
        return None, "unknown"
    try:
        if match.group(1):
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1))), "day"
        if match.group(4):
            return datetime.date(int(match.group(4)), int(match.group(5)), int(match.group(6))), "day"
        year = int(match.group(7))
    except ValueError:
        return None, "unknown"
    if not 1900 < year <= timezone.localdate().year:
        return None, "unknown"
    approximate = any(w in text.casefold() for w in ("about", "около", "примерно", "taxminan", "шамамен", "болжол", "тахминан"))
    return datetime.date(year, 1, 1), "approximate" if approximate else "year"


def person_data(answers: dict) -> dict:
    name = (answers.get("name") or "").strip()
    birth, precision = birth_of(answers.get("birth_date", ""))
    return {
        "name_latin" if _LATIN.search(name) else "name_cyrillic": name,
        "nationality": answers.get("nationality") or "XX", "home_region": answers.get("home_region", ""),
        "birth_date": birth, "birth_date_precision": precision,
    }


def _reporter(answers: dict) -> dict:
    channel, detail = answers.get("channel") or "", (answers.get("contact") or "").strip()
    notes = "\n".join(filter(None, [
        _("Safe times: %(t)s") % {"t": answers["safe_times"]} if answers.get("safe_times") else "",
        _("Be careful: %(a)s") % {"a": answers["avoid"]} if answers.get("avoid") else "",
        _("Preferred channel: %(c)s") % {"c": channel} if channel else _("Asked not to be contacted."),
    ]))
    return {
        "name": _("Reporter through the public form (%(rel)s)") % {"rel": answers.get("relationship", "")},
        "relationship": answers.get("relationship") or "other", "is_reporter": True,
        "phone": detail if channel == "phone" else "", "messenger": f"{channel}: {detail}" if channel in ("whatsapp", "telegram", "signal", "email") else "",
        "safe_contact_notes": notes, "consents_to_contact": bool(channel),
    }


def _events(answers: dict) -> list[dict]:
    out = []
    if answers.get("approach") or answers.get("where_when"):
        out.append({"type": Event.Type.RECRUITMENT, "date_precision": "unknown", "description": answers.get("where_when", "")})
    for means in answers.get("pressure") or []:
        out.append({"type": Event.Type.COERCION, "date_precision": "unknown", "coercion_means": means, "description": ""})
    if answers.get("signed") == "yes":
        out.append({"type": Event.Type.CONTRACT, "date_precision": "unknown", "description": ""})
    if answers.get("last_contact"):
        out.append({"type": Event.Type.FAMILY_CONTACT, "date_precision": "unknown", "description": answers["last_contact"]})
    return out


def _add_to(actor, case: Case, submission: Submission, report: dict) -> None:
    answers = report["answers"]
    contact = case_services.contact_add(actor=actor, case=case, data=_reporter(answers))
    source = case_services.source_add(actor=actor, case=case, data={
        "kind": Source.Kind.FAMILY, "contact": contact, "received_on": submission.received_on,
        "title": _("Family report through the public form, %(day)s") % {"day": submission.received_on.isoformat()},
        "description": "\n\n".join(filter(None, [answers.get("story", "")] + [m["text"] for m in report["messages"] if m.get("text")])),
    })
    for data in _events(answers):
        case_services.event_add(actor=actor, case=case, data=data, sources=[source])
    case_services.consent_record(actor=actor, case=case, data={
        "given_by": Consent.GivenBy.CONTACT, "contact": contact, "documentation": bool(answers.get("consent_documentation")),
        "share_lawyers": bool(answers.get("consent_legal")), "statistics": bool(answers.get("consent_statistics")),
        "given_on": submission.received_on, "method": Consent.Method.MESSAGE,
    })
    for attachment in submission.attachments.filter(imported=False):
        opened = services.attachment_opened(attachment)
        digest = hashlib.sha256(opened["data"]).hexdigest()
        evidence_attach(
            actor=actor, case=case, content=opened["data"], original_name=opened["name"], source=source,
            description=_("Received through the public form; SHA-256 at arrival %(h)s") % {"h": opened.get("sha256", digest)},
            method=EvidenceFile.Method.PUBLIC_FORM, claimed_type=opened["type"],
        )
        if opened.get("sha256") and opened["sha256"] != digest:
            raise TriageError(_("A file of this report changed since it arrived; it was not imported."))
        attachment.imported = True
        attachment.save(update_fields=["imported"])


def to_new_case(*, actor, submission: Submission) -> Case:
    report = services.opened(submission)
    with user_action():
        _claim(submission)
        case = case_services.case_create(actor=actor, person=person_data(report["answers"]), case={
            "pathway": report["answers"].get("approach") or Case.Pathway.UNKNOWN,
            "whereabouts": report["answers"].get("whereabouts") or Case.Whereabouts.UNKNOWN,
        })
        _add_to(actor, case, submission, report)
        _triaged(actor, submission, case, Submission.Status.NEW_CASE)
    return case


def to_existing_case(*, actor, submission: Submission, case: Case) -> Case:
    """`case` was resolved by the caller through cases.selectors with change_case."""
    report = services.opened(submission)
    with user_action():
        _claim(submission)
        _add_to(actor, case, submission, report)
        _triaged(actor, submission, case, Submission.Status.ADDED)
    return case


def decline(*, actor, submission: Submission, reply: str) -> None:
    with user_action():
        _claim(submission)
        if reply.strip():
            services.reply(actor=actor, submission=submission, text=reply)
        _triaged(actor, submission, None, Submission.Status.DECLINED)


def _claim(submission: Submission) -> None:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.NEW:
        raise TriageError(_("Someone has already triaged this report."))


@service
def _triaged(actor, submission: Submission, case: Case | None, status: str) -> None:
    submission.status, submission.case, submission.handled_by, submission.handled_on = status, case, actor, timezone.localdate()
    submission.save(update_fields=["status", "case", "handled_by", "handled_on"])
    action = actions.INTAKE_DECLINED if status == Submission.Status.DECLINED else actions.INTAKE_TRIAGED
    audit_record(actor=actor, action=action, target=submission, case=case, data={"status": status})


