"""Tags an admin defines and caseworkers put on cases.

A tag's name and description are sealed like every other free text, whatever its flag: an admin may name a
tag after a family, a unit or a place, and a flag flipped later must not leave the old name readable in a
backup. "Safe for statistics" decides only where the name may be shown: an unsafe tag's name is seen only by
staff on the pages of cases and the case list; the dashboard, its exports and every other count over cases
show safe tags only (casework/tags.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField, ProtectedTextField


class Tag(models.Model):
    class Colour(models.TextChoices):
        GREY = "grey", _("Grey")
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        YELLOW = "yellow", _("Yellow")
        GREEN = "green", _("Green")
        BLUE = "blue", _("Blue")
        PURPLE = "purple", _("Purple")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = ProtectedCharField(_("name"), max_length=60)
    description = ProtectedTextField(_("description"), blank=True)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, default=Colour.GREY)
    safe_for_statistics = models.BooleanField(
        _("safe for statistics"), default=False,
        help_text=_("Its name may appear in counts on the dashboard and in exports. Leave it off when the name could point to a person, a family or a place."),
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class CaseTag(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="case_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="case_tags")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "tag"], name="case_tag_unique")]
