"""What a dossier says: the case's facts, redacted as the referral asks.

`dossier_data` turns a referral into a plain, already-redacted structure that the
PDF renders and the manifest quotes. Nothing downstream sees a name field: every
name and every free text has passed through one Redactor here, so a pseudonymised
dossier cannot leak a full name through a forgotten field.
"""

import string

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.dates import format_approximate_date
from cases.models import DatePrecision
from cases.selectors import contacts_for, events_for, sources_for

from referrals.models import Redaction, Referral
from referrals.redaction import Redactor
from referrals.selectors import assessment_view_for


def organisation_name() -> str:
    return settings.DALIL_ORGANISATION_NAME


def _letter(index: int) -> str:
    return string.ascii_uppercase[index % 26] + (str(index // 26) if index >= 26 else "")


def _birth(person, level: str) -> str:
    if not person.birth_date or person.birth_date_precision == DatePrecision.UNKNOWN:
        return _("unknown")
    if level == Redaction.FULL:
        return format_approximate_date(person.birth_date, person.birth_date_precision)
    if level == Redaction.INITIALS:
        return str(person.birth_date.year)
    return _("the %(decade)ss") % {"decade": person.birth_date.year // 10 * 10}


def exhibit_number(index: int) -> str:
    return f"E{index + 1:02d}"


def dossier_data(*, referral: Referral, user, exhibits: list[dict]) -> dict:
    """The redacted content of the dossier. `user` is who asked for the build; reads are scoped to them.

    `exhibits` are dicts with number, path, label (raw), media_type, size and sha256_at_intake.
    """
    case = referral.case
    red = Redactor()
    person_shown = red.add(
        names=[case.person.name_latin, case.person.name_cyrillic, case.person.aliases], level=referral.person_redaction,
        pseudonym=referral.pseudonym,
    )
    contact_label = _contact_labels(referral, user, red)
    source_label = _source_labels(referral, user, red)
    timeline, event_number = _timeline(referral, user, red, contact_label, source_label)
    labels = {"event": event_number, "source": source_label, "exhibit": {x["file_id"]: x["number"] for x in exhibits}}
    return {
        "organisation": organisation_name(),
        "recipient": {"name": referral.recipient_name, "kind": referral.get_recipient_kind_display()},
        "purpose": red.text(referral.purpose),
        "case_reference": case.reference,
        "person": _person(referral, person_shown),
        "case": {
            "pathway": case.get_pathway_display(),
            "whereabouts": case.get_whereabouts_display(),
            "whereabouts_detail": red.text(case.whereabouts_detail),
            "risks": case.risk_flags,
        },
        "redaction": {
            "person": referral.get_person_redaction_display(),
            "family": referral.get_family_redaction_display(),
            "sources": referral.get_sources_redaction_display(),
        },
        "timeline": timeline,
        "assessment": _assessment(referral, user, red, labels) if referral.include_assessment else None,
        "contacts": _contacts(referral, user, contact_label),
        "exhibits": [{k: v for k, v in x.items() if k != "file_id"} | {"label": red.text(x["label"])} for x in exhibits],
        "redactor": red,
    }


def _person(referral: Referral, shown: str) -> dict:
    person = referral.case.person
    return {
        "name": shown,
        "sex": person.get_sex_display(),
        "born": _birth(person, referral.person_redaction),
        "nationality": person.get_nationality_display(),
        "status_in_russia": person.get_status_in_russia_display(),
        "home_region": person.home_region if referral.person_redaction != Redaction.PSEUDONYM else "",
    }


def _contact_labels(referral: Referral, user, red: Redactor) -> dict:
    """Each contact's name as the referral shows it (a pseudonym like 'Mother (A)' below full redaction)."""
    labels = {}
    for index, contact in enumerate(contacts_for(user, case=referral.case).order_by("created_at")):
        pseudonym = _("%(relationship)s (%(letter)s)") % {"relationship": contact.get_relationship_display(), "letter": _letter(index)}
        labels[contact.pk] = red.add(names=[contact.name], level=referral.family_redaction, pseudonym=pseudonym)
    return labels


def _source_labels(referral: Referral, user, red: Redactor) -> dict:
    labels = {}
    for index, source in enumerate(sources_for(user, case=referral.case).order_by("created_at")):
        tag = f"S{index + 1}"
        if referral.sources_redaction == Redaction.PSEUDONYM:
            labels[source.pk] = f"{tag} — {source.get_kind_display()}"
        else:
            labels[source.pk] = f"{tag} — {red.text(source.title)} ({source.get_kind_display()})"
    return labels


def _timeline(referral: Referral, user, red: Redactor, contact_label: dict, source_label: dict) -> tuple[list[dict], dict]:
    """The selected events in date order, numbered T1, T2, …; returns them and the number of each event."""
    selected = set(referral.events.values_list("pk", flat=True))
    events = [e for e in events_for(user, case=referral.case) if e.pk in selected]
    events.sort(key=lambda e: (e.date is None, e.date or timezone.localdate(), e.created_at))
    event_number = {e.pk: f"T{i + 1}" for i, e in enumerate(events)}
    relative = _("a relative")
    timeline = [
        {
            "number": event_number[e.pk],
            "date": format_approximate_date(e.date, e.date_precision),
            "precision": DatePrecision(e.date_precision).label,
            "type": e.get_type_display(),
            "place": str(e.location) if e.location else "",
            "description": red.text(e.description),
            # The fields of the event's own type, as Event.TYPE_FIELDS declares them.
            "details": [
                red.text(f"{d.label}: {d.text}") for d in e.type_details(relation_label=lambda pk: contact_label.get(pk, relative))
            ],
            "perpetrators": [str(p) for p in e.perpetrators.all()],
            "sources": [source_label[s.pk] for s in e.sources.all() if s.pk in source_label],
        }
        for e in events
    ]
    return timeline, event_number


def _support(link, red: Redactor, labels: dict) -> dict:
    if link.event_id:
        where = labels["event"].get(link.event_id)
        what = _("event %(n)s") % {"n": where} if where else _("an event not included in this referral")
    elif link.source_id:
        what = _("source %(s)s") % {"s": labels["source"].get(link.source_id, "?")}
    else:
        number = labels["exhibit"].get(str(link.evidence_file_id))
        what = _("exhibit %(n)s") % {"n": number} if number else _("an evidence file not included in this referral")
    return {"what": what, "strength": link.get_strength_display(), "note": red.text(link.note)}


def _assessment(referral: Referral, user, red: Redactor, labels: dict) -> dict:
    view = assessment_view_for(user, case=referral.case)

    def item(iv):
        return {
            "label": iv.label,
            "supported": iv.supported,
            "strength": iv.strength_label,
            "forms": iv.option_labels,
            "note": red.text(iv.note),
            "support": [_support(link, red, labels) for link in iv.links],
        }

    return {
        "elements": [item(e) for e in view.elements],
        "indicators": [item(i) for i in view.indicators],
        "palermo_met": view.palermo_met,
        "conclusion": red.text(view.assessment.conclusion if view.assessment else ""),
    }


def _contacts(referral: Referral, user, contact_label: dict) -> list[dict]:
    selected = set(referral.contacts.values_list("pk", flat=True))
    contacts = []
    for contact in contacts_for(user, case=referral.case).order_by("created_at"):
        if contact.pk not in selected:
            continue
        entry = {"name": contact_label[contact.pk], "relationship": contact.get_relationship_display(), "details": []}
        if referral.family_redaction == Redaction.FULL:
            for label, value in ((_("Phone"), contact.phone), (_("Messenger"), contact.messenger), (_("Address"), contact.address), (_("How to reach them safely"), contact.safe_contact_notes)):
                if value:
                    entry["details"].append(f"{label}: {value}")
        else:
            entry["details"].append(
                _("Contact details are withheld at this redaction level; reach this person through %(org)s.") % {"org": organisation_name()}
            )
        contacts.append(entry)
    return contacts
