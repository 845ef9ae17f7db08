"""ETag / If-Match on the records the API edits: a write made from a stale read gets 412, not a silent overwrite.

The entity tag is the record's version ("3"); the comparison itself happens in the service, on the
locked row, inside the transaction that saves (cases.services.StaleEdit), so that two clients holding
the same ETag cannot both write.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

HEADER = "If-Match"
ANY = None  # "If-Match: *": the client accepts whatever version is stored
NO_MATCH = 0  # versions start at 1: a tag that is not one of ours matches nothing

ETAG_RESPONSE = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=[200],
    description=_("The record's version, e.g. \"3\". Send it back in If-Match when you change the record."),
)
IF_MATCH_PARAMETER = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=True,
    description=_("The ETag of the record as you last read it. A stale tag gets 412 and nothing is changed; "
                  "read the record again, merge, and retry with its new ETag."),
)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _("Send If-Match with the ETag of the record as you read it: changes are refused without it.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record was changed by someone else since you read it; nothing was changed. "
                       "Read it again (its new ETag is in this response), merge, and retry.")
    default_code = "precondition_failed"


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int | None:
    """The version named by If-Match: a number, ANY for '*', NO_MATCH for a tag that is not ours."""
    header = request.headers.get(HEADER)
    if header is None or not header.strip():
        raise PreconditionRequired()
    tag = header.strip()
    if tag == "*":
        return ANY
    tag = tag.removeprefix("W/")
    if len(tag) > 2 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit() and len(tag) < 12:
        return int(tag[1:-1])
    return NO_MATCH
