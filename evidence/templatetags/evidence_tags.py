"""Filters of the evidence pages and of the case page's "Files" section (its files come from the case view:
cases.sections, registered in EvidenceConfig.ready)."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def size(value) -> str:
    return filesizeformat(value)


# Custody details are stored with machine keys (they go to the exports as they are); the page names them.
DETAIL_LABELS = {
    "method": _("how"), "size": _("size"), "kek_id": _("key"), "format_version": _("format"), "algorithm": _("algorithm"),
    "over": _("computed over"), "type": _("type"), "kind": _("kind"), "note": _("note"), "range": _("bytes"),
    "format": _("format"), "detail": _("problem"), "expected": _("expected SHA-256"), "from": _("from key"), "to": _("to key"),
    "reason": _("reason"), "copies": _("copies"), "referral": _("referral"), "step": _("step"), "audit_event": _("audit event"),
}
DETAIL_VALUES = {"upload": _("upload"), "plaintext at intake": _("the file as received")}


@register.filter
def custody_details(detail) -> list[tuple[str, str]]:
    """[(label, value)] for a custody event's details, in the reader's language where the key is known."""
    return [(DETAIL_LABELS.get(k, k), DETAIL_VALUES.get(v, v) if isinstance(v, str) else v) for k, v in (detail or {}).items()]
