"""Audit events as the reader sees them: one sentence each, links only where the reader may follow them.

For a page of events this asks the database three things at most: which of the cases named the reader may
open, and the users named (actors, targets, people in the data). Nothing here is shown that the event does
not already hold; what the reader may not open stays plain text, and an object of a case the reader may not
open is named only by its kind ("a file"), never by its name.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.sentences import sentence_for

KINDS = {
    "evidence.evidencefile": (gettext_noop("a file"), "evidence:detail"),
    "cases.event": (gettext_noop("an event"), "cases:detail"),
    "cases.contact": (gettext_noop("a contact"), None),
    "cases.source": (gettext_noop("a source"), None),
    "cases.person": (gettext_noop("the person"), None),
    "referrals.referral": (gettext_noop("a referral"), "referrals:detail"),
}
A_RECORD = gettext_noop("a record")
PERM_WORDS = {"view_case": gettext_noop("read"), "change_case": gettext_noop("edit"), "download_evidence": gettext_noop("download files"), "prepare_referral": gettext_noop("prepare referrals")}


@dataclass
class Row:
    event: object
    sentence: SafeString
    details: str


def _link(text: str, url: str | None) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text) if url else conditional_escape(text)


class _Reader:
    """What this reader may follow, for the events of one page."""

    def __init__(self, reader, events):
        from cases.selectors import cases_for

        refs = {e.case_ref for e in events if e.case_ref}
        self.visible = set(cases_for(reader).filter(reference__in=refs).values_list("reference", flat=True)) if refs else set()
        self.manage_users = reader.has_perm("accounts.manage_users")
        self.manage_access = reader.has_perm("accounts.manage_access")
        ids = {e.actor_id for e in events if e.actor_id}
        ids |= {int(e.target_id) for e in events if e.target_type == "accounts.user" and str(e.target_id).isdigit()}
        names = {e.data.get("user") for e in events if isinstance(e.data, dict) and isinstance(e.data.get("user"), str)}
        users = get_user_model().objects.filter(pk__in=ids) | get_user_model().objects.filter(username__in=names)
        self.by_id = {u.pk: u.get_username() for u in users.only("pk", "username")}
        self.id_of = {name: pk for pk, name in self.by_id.items()}

    def user(self, name: str | None, pk=None) -> SafeString:
        name = name or self.by_id.get(pk) or _("an account no longer there")
        pk = pk or self.id_of.get(name)
        return _link(name, reverse("manage:user_detail", kwargs={"pk": pk}) if self.manage_users and pk else None)

    def case(self, ref: str) -> SafeString:
        if not ref:
            return conditional_escape(_("a case"))
        if ref in self.visible:
            return _link(ref, reverse("cases:detail", kwargs={"reference": ref}))
        return _link(ref, reverse("manage:case_access", kwargs={"reference": ref}) if self.manage_access else None)

    def target(self, event, *, capital: bool = False) -> SafeString:
        if event.target_type == "accounts.user":
            return self.user(None, int(event.target_id) if str(event.target_id).isdigit() else None)
        if event.target_type == "cases.case":
            return self.case(event.case_ref)
        word, url_name = KINDS.get(event.target_type, (A_RECORD, None))
        url = None
        if url_name and event.case_ref in self.visible:
            if url_name == "evidence:detail":
                url = reverse(url_name, kwargs={"reference": event.case_ref, "file_id": event.target_id})
            elif url_name == "cases:detail":
                url = reverse(url_name, kwargs={"reference": event.case_ref}) + f"#event-{event.target_id}"
            else:
                url = reverse(url_name, kwargs={"referral_id": event.target_id})
        return _link(capfirst(_(word)) if capital else _(word), url)


def _verbose(models: list, name: str) -> str:
    for model in models:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - not this model's field; a field renamed since keeps its name
            continue
    return name


def _field_names(event) -> list[str]:
    """Changed fields by their names on the page; a case's person's fields are looked up on the person."""
    models = []
    for label in (event.target_type, "cases.person"):
        try:
            models.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return [_verbose(models, name.removeprefix("person.")) for name in event.fields or []]


def _details(event) -> str:
    parts = []
    if names := _field_names(event):
        parts.append(_("changed: %(fields)s") % {"fields": ", ".join(names)})
    data = event.data if isinstance(event.data, dict) else {}
    if perms := data.get("perms"):
        parts.append(_("rights: %(perms)s") % {"perms": ", ".join(_(PERM_WORDS.get(p, p)) for p in perms)})
    if data.get("group"):
        parts.append(_("for all legal staff"))
    return "; ".join(parts)


def rows(reader, events) -> list[Row]:
    events = list(events)
    if not events:
        return []
    who = _Reader(reader, events)
    out = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        actor = who.user(event.actor_label, event.actor_id) if event.actor_id else conditional_escape(_("Dalil") if event.actor_label.startswith("system") else event.actor_label)
        sentence = str(sentence_for(event.action))
        parts = {"actor": actor, "case": who.case(event.case_ref), "target": who.target(event, capital=sentence.startswith("%(target)s")),
                 "user": who.user(data.get("user")) if data.get("user") else conditional_escape(_("all legal staff") if data.get("group") else _("someone"))}
        out.append(Row(event, mark_safe(conditional_escape(sentence) % parts), _details(event)))  # nosec B308, B703  # the sentence and every part were escaped just above
    return out


def kind_of(target_type: str) -> str:
    return _(KINDS.get(target_type, (A_RECORD, None))[0])
