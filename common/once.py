"""Each form submission is made once.

Every create form carries a token minted when the page is rendered. The first submission with that
token holds it (an idempotency record, common/idempotency.py, keyed "form:<token>") and makes the record; a second
submission of the same rendered form (a double click, a resent page, the back button restoring the
page) makes nothing and shows what the first one made.

When the back button fetches the form afresh, the browser fills in what was typed but the page
carries a new token; so a submission whose content is exactly that of one this user made on the
same page in the last few minutes is the same submission too. The content is compared by a keyed
hash (common.idempotency.fingerprint): the record holds no testimony.
"""

import datetime
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import idempotency
from common.models import IdempotencyRecord

FIELD = "form_token"
SAME_CONTENT_WINDOW = datetime.timedelta(minutes=15)
_NOT_CONTENT = {FIELD, "csrfmiddlewaretoken"}


def new_token() -> str:
    return secrets.token_urlsafe(18)


def token_for(request: HttpRequest) -> str:
    """The token the page being rendered carries: the one posted (a form shown again with errors) or a new one."""
    return _posted_token(request) or new_token()


def _posted_token(request: HttpRequest) -> str | None:
    token = (request.POST.get(FIELD) or "").strip() if request.method == "POST" else ""
    return token if 16 <= len(token) <= 64 and token.isprintable() else None


def _content(request: HttpRequest, endpoint: str, files: str) -> str:
    posted = sorted((name, request.POST.getlist(name)) for name in request.POST if name not in _NOT_CONTENT)
    return idempotency.fingerprint("form", endpoint, posted, files)


def _made_before(request: HttpRequest, endpoint: str, content: str) -> IdempotencyRecord | None:
    return (
        IdempotencyRecord.objects.filter(
            user=request.user, endpoint=endpoint, fingerprint=content, state=IdempotencyRecord.State.DONE,
            created_at__gte=timezone.now() - SAME_CONTENT_WINDOW,
        ).order_by("-created_at").first()
    )


def run(
    request: HttpRequest, *, endpoint: str,
    perform: Callable[[], tuple[HttpResponse, str]], replay: Callable[[str], HttpResponse], files: str = "",
) -> HttpResponse:
    """perform() -> (response, what it made) on the first submission of a rendered form; replay(what it made) after.

    `files` names what a form uploads (the SHA-256 of each file): two different files sent with the same
    words are two submissions, the same file sent twice is one. A response of 400 or more made nothing, and
    leaves the token free for the corrected form.
    """
    token = _posted_token(request)
    if token is None:
        return perform()[0]
    content = _content(request, endpoint, files)
    if (earlier := _made_before(request, endpoint, content)) is not None:
        return _already(request, earlier, replay)
    record, fresh = idempotency.begin(user=request.user, key=f"form:{token}", endpoint=endpoint, print_=content)
    if fresh:
        return idempotency.perform_once(record, perform)
    if record.endpoint != endpoint:
        # The token of another form (of this user): not this form's first submission, so it is made, and
        # nothing of what that other form made is shown here.
        return perform()[0]
    return _already(request, record, replay)


def _already(request: HttpRequest, record: IdempotencyRecord, replay) -> HttpResponse:
    if record.state == IdempotencyRecord.State.PENDING:
        messages.warning(request, _("This form was already sent and is still being saved. Nothing was added twice."))
        return replay("")
    messages.info(request, _("This form had already been sent: nothing was added again. Here is what it made."))
    return replay(record.target_id)
