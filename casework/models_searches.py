"""A user's saved case-list searches: a name, the list's filters and its order; optionally shared.

There are no teams in Dalil: a search is shared with everyone holding one of its owner's roles (all
caseworkers, all legal staff) or with everyone. Sharing passes on the filters only: whoever opens a search
sees, through cases_for(), only the cases they may see themselves. A search text may name a person, so it
is sealed and a shared search carries none (casework/searches.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keys.fields import ProtectedCharField

EVERYONE = "everyone"


class SavedSearch(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = ProtectedCharField(_("name"), max_length=80)
    query = ProtectedCharField(_("search text"), max_length=200, blank=True)
    # The plain filters of the case list (cases.searches.plain_filters()), sort included: they name nobody.
    filters = models.JSONField(default=dict, blank=True)
    shared_with = models.CharField(_("shared with"), max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name
