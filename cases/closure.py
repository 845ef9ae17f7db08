"""Why a case was closed: a coded, plain value, so the dashboard counts it without decrypting anything.

Asked for whenever a case is closed from its form (cases.forms.CaseForm); a merge closes the merged case as a
duplicate (patterns.services.merges). A case closed another way (the API) counts as "not recorded".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosureReason(models.TextChoices):
    FOUND = "found", _("Found")
    RETURNED_HOME = "returned_home", _("Returned home")
    DIED = "died", _("Died")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Family withdrew consent")
    REFERRED = "referred", _("Referred and closed")
    DUPLICATE = "duplicate", _("Duplicate, merged into another case")
    OTHER = "other", _("Other")
