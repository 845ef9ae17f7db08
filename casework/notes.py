"""Notes on a case: a thread of short sealed notes, with @mentions of colleagues who can see the case.

A mention of someone who cannot see the case is refused (the note is not saved, the typed text stays in the form):
a mention that silently reached nobody would mislead the writer. An @word that is no username (a messenger
handle in testimony, say) is plain text.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from cases.selectors import case_perms, cases_for
from casework.models_collab import NOTE_MAX_LENGTH, Note
from casework.notifications import Kind, notify
from common.transactions import service

MENTION = re.compile(r"(?<![\w.@])@([\w.+-]+)")
MAX_MENTIONS = 10


class NoteError(ValueError):
    pass


def mentioned_names(text: str) -> list[str]:
    return sorted({m.group(1).rstrip(".-") for m in MENTION.finditer(text)} - {""})


def _mentioned_users(case, text: str, actor) -> list:
    names = mentioned_names(text)[: MAX_MENTIONS * 3]
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    users = [u for u in get_user_model().objects.filter(query) if u.pk != actor.pk]
    refused = [u.get_username() for u in users if not (u.is_active and "view_case" in case_perms(u, case, fresh=True))]
    if refused:
        raise NoteError(_("%(names)s cannot see this case, so a mention would not reach them: remove the mention, or ask for "
                          "them to be given access first.") % {"names": ", ".join("@" + n for n in sorted(refused))})
    if len(users) > MAX_MENTIONS:
        raise NoteError(_("A note can mention at most %(n)d people.") % {"n": MAX_MENTIONS})
    return users


@service
def note_add(*, actor, case, text: str) -> Note:
    """Caller holds view_case on `case` (the whole team writes in the thread). Audit: casework.note.added; mentions notified."""
    text = (text or "").strip()
    if not text:
        raise NoteError(_("Write something first."))
    if len(text) > NOTE_MAX_LENGTH:
        raise NoteError(_("A note has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH})
    if "view_case" not in case_perms(actor, case, fresh=True):
        raise NoteError(_("You cannot see this case."))
    mentioned = _mentioned_users(case, text, actor)
    note = Note.objects.create(case=case, author=actor, text=text)
    note.mentions.set(mentioned)
    notify(recipients=mentioned, kind=Kind.MENTION, case=case, object_id=note.pk, actor=actor)
    audit_record(actor=actor, action=actions.NOTE_ADDED, target=note, case=case, fields=["text"], data={"mentions": len(mentioned)})
    return note


def notes_for(user, *, case) -> QuerySet[Note]:
    """The notes of a case the user may see (empty otherwise)."""
    return Note.objects.filter(case=case, case__in=cases_for(user)).select_related("author")
