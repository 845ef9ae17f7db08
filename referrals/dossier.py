"""What a dossier says: the case's facts, redacted as the referral asks.

`dossier_data` turns a referral into a plain, already-redacted structure that the
PDF renders and the manifest quotes. Nothing downstream sees a name field: every
name and every free text has passed through one Redactor here, so a pseudonymised
dossier cannot leak a full name through a forgotten field.
"""

import string

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.dates import format_approximate_date
from cases.models import DatePrecision
from cases.selectors import contacts_for, events_for, sources_for

from referrals.models import Redaction, Referral
from referrals.redaction import Redactor
from referrals.selectors import assessment_view_for


def organisation_name() -> str:
    return settings.DALIL_ORGANISATION_NAME


def _letter(i: int) -> str:
    return string.ascii_uppercase[i % 26] + (str(i // 26) if i >= 26 else "")


def _birth(person, level: str) -> str:
    if not person.birth_date or person.birth_date_precision == DatePrecision.UNKNOWN:
        return _("unknown")
    if level == Redaction.FULL:
        return format_approximate_date(person.birth_date, person.birth_date_precision)
    if level == Redaction.INITIALS:
        return str(person.birth_date.year)
    return _("the %(decade)ss") % {"decade": person.birth_date.year // 10 * 10}


def exhibit_number(i: int) -> str:
    return f"E{i + 1:02d}"


def dossier_data(*, referral: Referral, user, exhibits: list[dict]) -> dict:
    """The redacted content of the dossier. `user` is who asked for the build; reads are scoped to them.

    `exhibits` are dicts with number, path, label (raw), media_type, size and sha256_at_intake.
    """
    case = referral.case
    person = case.person
    red = Redactor()
    person_shown = red.add(
        names=[person.name_latin, person.name_cyrillic, person.aliases], level=referral.person_redaction, pseudonym=referral.pseudonym
    )
    contact_label = {}
    for i, contact in enumerate(contacts_for(user, case=case).order_by("created_at")):
        pseudonym = _("%(relationship)s (%(letter)s)") % {"relationship": contact.get_relationship_display(), "letter": _letter(i)}
        contact_label[contact.pk] = red.add(names=[contact.name], level=referral.family_redaction, pseudonym=pseudonym)

    source_label = {}
    for i, source in enumerate(sources_for(user, case=case).order_by("created_at")):
        tag = f"S{i + 1}"
        if referral.sources_redaction == Redaction.PSEUDONYM:
            source_label[source.pk] = f"{tag} — {source.get_kind_display()}"
        else:
            source_label[source.pk] = f"{tag} — {red.text(source.title)} ({source.get_kind_display()})"

    selected = set(referral.events.values_list("pk", flat=True))
    events = [e for e in events_for(user, case=case) if e.pk in selected]
    events.sort(key=lambda e: (e.date is None, e.date or timezone.localdate(), e.created_at))
    event_number = {e.pk: f"T{i + 1}" for i, e in enumerate(events)}
    exhibit_by_file = {x["file_id"]: x for x in exhibits}

    timeline = []
    for e in events:
        details = _event_details(e, contact_label)
        perpetrators = [str(p) for p in e.perpetrators.all()]
        timeline.append(
            {
                "number": event_number[e.pk],
                "date": format_approximate_date(e.date, e.date_precision),
                "precision": DatePrecision(e.date_precision).label,
                "type": e.get_type_display(),
                "place": str(e.location) if e.location else "",
                "description": red.text(e.description),
                "what_was_said": red.text(e.what_was_said),
                "details": [red.text(d) for d in details],
                "perpetrators": perpetrators,
                "sources": [source_label[s.pk] for s in e.sources.all() if s.pk in source_label],
            }
        )

    assessment = None
    if referral.include_assessment:
        view = assessment_view_for(user, case=case)

        def support(link):
            if link.event_id:
                where = event_number.get(link.event_id)
                what = _("event %(n)s") % {"n": where} if where else _("an event not included in this referral")
            elif link.source_id:
                what = _("source %(s)s") % {"s": source_label.get(link.source_id, "?")}
            else:
                x = exhibit_by_file.get(str(link.evidence_file_id))
                what = _("exhibit %(n)s") % {"n": x["number"]} if x else _("an evidence file not included in this referral")
            return {"what": what, "strength": link.get_strength_display(), "note": red.text(link.note)}

        def item(iv):
            return {
                "label": iv.label,
                "supported": iv.supported,
                "strength": iv.strength_label,
                "forms": iv.option_labels,
                "note": red.text(iv.note),
                "support": [support(link) for link in iv.links],
            }

        assessment = {
            "elements": [item(e) for e in view.elements],
            "indicators": [item(i) for i in view.indicators],
            "palermo_met": view.palermo_met,
            "conclusion": red.text(view.assessment.conclusion if view.assessment else ""),
        }

    selected_contacts = set(referral.contacts.values_list("pk", flat=True))
    contacts = []
    for c in contacts_for(user, case=case).order_by("created_at"):
        if c.pk not in selected_contacts:
            continue
        entry = {"name": contact_label[c.pk], "relationship": c.get_relationship_display(), "details": []}
        if referral.family_redaction == Redaction.FULL:
            for label, value in ((_("Phone"), c.phone), (_("Messenger"), c.messenger), (_("Address"), c.address), (_("How to reach them safely"), c.safe_contact_notes)):
                if value:
                    entry["details"].append(f"{label}: {value}")
        else:
            entry["details"].append(
                _("Contact details are withheld at this redaction level; reach this person through %(org)s.") % {"org": organisation_name()}
            )
        contacts.append(entry)

    return {
        "organisation": organisation_name(),
        "recipient": {"name": referral.recipient_name, "kind": referral.get_recipient_kind_display()},
        "purpose": red.text(referral.purpose),
        "case_reference": case.reference,
        "person": {
            "name": person_shown,
            "sex": person.get_sex_display(),
            "born": _birth(person, referral.person_redaction),
            "nationality": person.get_nationality_display(),
            "status_in_russia": person.get_status_in_russia_display(),
            "home_region": person.home_region if referral.person_redaction != Redaction.PSEUDONYM else "",
        },
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
        "assessment": assessment,
        "contacts": contacts,
        "exhibits": [
            {k: v for k, v in x.items() if k != "file_id"} | {"label": red.text(x["label"])} for x in exhibits
        ],
        "redactor": red,
    }


def _event_details(e, contact_label: dict) -> list[str]:
    """The fields of the event's own type (Event.TYPE_FIELDS), as lines of the dossier; redacted by the caller."""
    details = []
    if e.coercion_means:
        details.append(f"{_('Coercion means')}: {e.get_coercion_means_display()}")
    if e.signing_authority:
        details.append(f"{_('Signing authority')}: {e.signing_authority}")
    if e.unit:
        details.append(f"{_('Unit')}: {e.unit}")
    if e.contract_term_months:
        details.append(f"{_('Contract term')}: {e.contract_term_months} {_('months')}")
    if e.promised_pay:
        details.append(f"{_('Promised pay')}: {e.promised_pay}")
    if e.contact_channel:
        details.append(f"{_('Channel')}: {e.get_contact_channel_display()}")
    if e.contact_with_id:
        details.append(f"{_('Contacted')}: {contact_label.get(e.contact_with_id, _('a relative'))}")
    # Ill-treatment, as a medical-legal reader needs it (Istanbul Protocol).
    if e.ill_treatment_methods:
        details.append(f"{_('Methods')}: {'; '.join(e.ill_treatment_method_labels)}")
    if e.ill_treatment_duration:
        details.append(f"{_('Duration')}: {e.ill_treatment_duration}")
    if e.injuries_reported:
        details.append(f"{_('Injuries reported')}: {e.injuries_reported}")
    if e.medical_exam:
        when = f", {formats.date_format(e.medical_exam_date, 'DATE_FORMAT')}" if e.medical_exam_date else ""
        details.append(f"{_('Medical examination')}: {e.get_medical_exam_display()}{when}")
    if e.documentation:
        detail = f" — {e.documentation_detail}" if e.documentation_detail else ""
        details.append(f"{_('Documentation')}: {e.get_documentation_display()}{detail}")
    return details
