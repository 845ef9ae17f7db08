"""Writes of tags: admins define, change and retire them; whoever may edit a case puts them on and takes them off.

Each is one transaction with its audit event. The audit data names a tag by its id only: the name of a tag
not marked safe for statistics is protected text (casework/models_tags.py).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from casework.models_tags import CaseTag, Tag
from cases.selectors import case_perms
from common.transactions import service

TAG_FIELDS = ("name", "description", "colour", "safe_for_statistics")


class TagError(ValueError):
    pass


def _require_admin(actor) -> None:
    if not (actor.is_active and actor.has_perm("accounts.manage_users")):
        raise TagError(_("Only an administrator may define tags."))


def _check_name(name: str, *, other_than=None) -> str:
    name = (name or "").strip()
    if not name:
        raise TagError(_("Give the tag a name."))
    # Names are sealed, so the database cannot compare them: the few tags are read under a lock instead.
    taken = {t.name.strip().casefold() for t in Tag.objects.select_for_update().exclude(pk=getattr(other_than, "pk", None))}
    if name.casefold() in taken:
        raise TagError(_("There is already a tag with this name."))
    return name


@service
def tag_create(*, actor, name: str, description: str = "", colour: str = Tag.Colour.GREY, safe_for_statistics: bool = False) -> Tag:
    """Caller manages users (an admin). Audit: casework.tag.created."""
    _require_admin(actor)
    tag = Tag(name=_check_name(name), description=description.strip(), colour=colour, safe_for_statistics=safe_for_statistics, created_by=actor)
    tag.full_clean()
    tag.save()
    audit_record(actor=actor, action=actions.TAG_CREATED, target=tag, fields=list(TAG_FIELDS), data={"safe_for_statistics": safe_for_statistics})
    return tag


@service
def tag_update(*, actor, tag: Tag, **data) -> list[str]:
    """Caller manages users. Audit: casework.tag.updated with the changed field names."""
    _require_admin(actor)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    if "name" in data:
        data["name"] = _check_name(data["name"], other_than=tag)
    changed = [f for f in TAG_FIELDS if f in data and getattr(tag, f) != data[f]]
    for field in changed:
        setattr(tag, field, data[field])
    tag.full_clean()
    if changed:
        tag.save(update_fields=changed)
    audit_record(actor=actor, action=actions.TAG_UPDATED, target=tag, fields=changed, data={"safe_for_statistics": tag.safe_for_statistics})
    return changed


@service
def tag_retire(*, actor, tag: Tag, retire: bool = True) -> Tag:
    """Retire a tag (it stays on its cases, but is no longer offered) or bring it back. Caller manages users.
    Audit: casework.tag.retired."""
    _require_admin(actor)
    tag.retired_at = timezone.now() if retire else None
    tag.save(update_fields=["retired_at"])
    audit_record(actor=actor, action=actions.TAG_RETIRED, target=tag, data={"retired": retire})
    return tag


def _require_change(actor, case) -> None:
    if "change_case" not in case_perms(actor, case, fresh=True):
        raise TagError(_("Only someone who may edit this case may change its tags."))


@service
def case_tag_add(*, actor, case, tag: Tag) -> CaseTag | None:
    """Caller holds change_case on `case`. Audit: case.tag.added (the tag by id). None if it was already there."""
    _require_change(actor, case)
    if tag.retired_at is not None:
        raise TagError(_("This tag is retired and can no longer be put on a case."))
    case_tag, created = CaseTag.objects.get_or_create(case=case, tag=tag, defaults={"added_by": actor})
    if not created:
        return None
    audit_record(actor=actor, action=actions.CASE_TAG_ADDED, target=case, case=case, data={"tag": str(tag.pk)})
    return case_tag


@service
def case_tag_remove(*, actor, case, tag: Tag) -> bool:
    """Caller holds change_case on `case`. Audit: case.tag.removed (the tag by id)."""
    _require_change(actor, case)
    removed, _n = CaseTag.objects.filter(case=case, tag=tag).delete()
    if removed:
        audit_record(actor=actor, action=actions.CASE_TAG_REMOVED, target=case, case=case, data={"tag": str(tag.pk)})
    return bool(removed)
