"""Evidence pages: upload, the file page with its custody history, and streamed downloads.

Every file is reached through the case selectors for this user, so a file of a
case the user may not see is a 404 like a missing one. Downloads decrypt one
segment at a time and verify each before sending it; a bad segment cuts the
response off, so a client never receives a complete-looking corrupted file.
"""

from __future__ import annotations

import io
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from audit import actions
from audit.services import audit_read
from cases.selectors import case_get_for, events_for, sources_for
from common import csv_export, once
from evidence import selectors, services
from evidence.forms import DestroyForm, UploadForm
from evidence.models import EvidenceFile
from evidence.sealing import plaintext_range
from evidence.uploads import EncryptingUploadHandler, SealedUpload
from keys import ring
from keys.stream import EvidenceFormatError, TamperedError

DOWNLOAD_PERM = "download_evidence"
INLINE_TYPES = re.compile(r"^(audio|video)/|^image/(jpeg|png|gif|webp)$|^application/pdf$")
GET = require_http_methods(["GET", "HEAD"])
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


class DownloadCutOff(Exception):
    """Raised inside a streaming response to abort the connection after a bad segment."""


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Pragma"] = "no-cache"
    response["Expires"] = "0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file(request, reference, file_id, *, perm="view_case"):
    case = case_get_for(request.user, reference=reference, perm=perm)
    return case, selectors.file_get_for(request.user, case=case, file_id=file_id, perm=perm)


# --- list and upload ------------------------------------------------------------------


@login_required
@GET
def file_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_get_for(request.user, reference=reference)
    files = selectors.files_for(request.user, case=case)
    audit_read(actor=request.user, action=actions.EVIDENCE_LIST_VIEWED, case=case, data={"files": [str(f.pk) for f in files]})
    return _no_store(render(request, "evidence/file_list.html", {"case": case, "files": files}))


def _upload_form(request, case, data=None):
    return UploadForm(
        data, sources=sources_for(request.user, case=case), events=events_for(request.user, case=case),
    )


@csrf_exempt  # checked below, after the encrypting handler is in place (Django's documented pattern)
@sensitive_post_parameters()
@login_required
@GET_POST
def upload(request: HttpRequest, reference: str) -> HttpResponse:
    # Access first: nobody streams into storage for a case they may not change.
    case = case_get_for(request.user, reference=reference, perm="change_case")
    context = {"case": case, "max_bytes": services.max_bytes()}
    if request.method != "POST":
        page = {**context, "form": _upload_form(request, case), "form_token": once.new_token()}
        return _no_store(render(request, "evidence/upload.html", page))
    handler = EncryptingUploadHandler(request, max_bytes=services.max_bytes())
    request.upload_handlers = [handler]
    try:
        return _upload_post(request, case, handler, context)
    finally:
        handler.cleanup()


def _upload_post(request, case, handler, context) -> HttpResponse:
    try:
        reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if reason is not None:
            return reason
        post, uploads = request.POST, request.FILES.getlist("file")
    except ring.KeyUnavailable:
        handler.fail("key_unavailable")
        post, uploads = {}, []
    form = _upload_form(request, case, post)
    # The same token when the form comes back with errors (request.POST is read by now, or was refused).
    context = {**context, "form_token": once.token_for(request) if post else once.new_token()}
    form_ok = form.is_valid()
    if handler.error:
        form.add_error(None, handler.error)
    elif not uploads:
        form.add_error(None, _("Choose a file to upload."))
    elif any(not isinstance(u, SealedUpload) for u in uploads):
        form.add_error(None, _("The upload could not be encrypted."))
    elif any(u.sealed.size == 0 for u in uploads):
        form.add_error(None, _("The file is empty."))
    if not form_ok or form.errors:
        return _no_store(render(request, "evidence/upload.html", {**context, "form": form}, status=400))

    def perform():
        return _attach_all(request, case, handler, uploads, form, context)

    def replay(file_id: str):
        # The second copy is not claimed: the handler's cleanup removes its blob.
        if file_id:
            return redirect("evidence:detail", reference=case.reference, file_id=file_id)
        return redirect("evidence:list", reference=case.reference)

    files = ",".join(sorted(u.sealed.sha256 for u in uploads))
    return once.run(request, endpoint=f"evidence.upload:{case.pk}", perform=perform, replay=replay, files=files)


def _attach_all(request, case, handler, uploads, form, context) -> tuple[HttpResponse, str]:
    made = []
    for up in uploads:
        try:
            record = services.evidence_attach(
                actor=request.user, case=case, content=up.sealed, original_name=up.name,
                source_label=form.cleaned_data["source_label"], source=form.cleaned_data["source"],
                event=form.cleaned_data["event"], description=form.cleaned_data["description"],
                method=EvidenceFile.Method.UPLOAD, claimed_type=up.content_type or "",
            )
        except services.EvidenceError as exc:
            form.add_error(None, str(exc))
            return _no_store(render(request, "evidence/upload.html", {**context, "form": form}, status=400)), ""
        handler.claim(up.sealed)
        made.append(record)
    messages.success(request, ngettext("%(count)d file received, encrypted and recorded.", "%(count)d files received, encrypted and recorded.", len(made)) % {"count": len(made)})
    if len(made) == 1:
        return redirect("evidence:detail", reference=case.reference, file_id=made[0].pk), str(made[0].pk)
    return redirect("evidence:list", reference=case.reference), ""


# --- the file page ----------------------------------------------------------------------


@login_required
@GET
def file_detail(request: HttpRequest, reference: str, file_id) -> HttpResponse:
    case, file = _file(request, reference, file_id)
    audit_read(actor=request.user, action=actions.EVIDENCE_FILE_PAGE_VIEWED, target=file, case=case)
    custody = selectors.custody_for(request.user, file=file)
    may_download = selectors.files_for(request.user, case=case, perm=DOWNLOAD_PERM).filter(pk=file.pk).exists()
    context = {
        "case": case, "file": file, "custody": custody, "may_download": may_download,
        "preview": file.preview if may_download else None,
        "inline_ok": bool(INLINE_TYPES.match(file.media_type)), "destroy_form": DestroyForm(),
    }
    return _no_store(render(request, "evidence/file_detail.html", context))


@login_required
@GET
def progress(request: HttpRequest, reference: str, file_id) -> HttpResponse:
    _case, file = _file(request, reference, file_id)
    return _no_store(JsonResponse({"state": file.state, "progress": file.progress, "note": file.progress_note}))


CUSTODY_COLUMNS = ["at", "action", "actor", "sha256", "copy", "detail"]


def _custody_rows(file, custody):
    yield {
        "file_id": str(file.pk), "case": file.case.reference, "original_name": file.original_name, "size": file.size,
        "sha256_at_intake": file.sha256, "received_at": file.received_at.isoformat(), "received_by": file.received_by_label,
        "method": file.method, "source": file.source_label, "state": file.state,
    }
    for event in custody:
        yield {
            "at": event.at.isoformat(), "action": event.action, "actor": event.actor_label, "sha256": event.sha256,
            "copy": str(event.working_copy_id or ""), "detail": event.detail,
        }


@login_required
@GET
def custody_export(request: HttpRequest, reference: str, file_id, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404("No such format.")
    _case, file = _file(request, reference, file_id)
    services.evidence_custody_exported(actor=request.user, file=file, fmt=fmt)
    custody = list(selectors.custody_for(request.user, file=file))
    head, *events = list(_custody_rows(file, custody))
    filename = f"custody-{file.case.reference}-{file.pk}.{fmt}"
    if fmt == "json":
        body = json.dumps({"file": head, "custody": events}, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        out = io.StringIO()
        writer = csv_export.writer(out)
        writer.writerow(["file_id", "case", "original_name", "size", "sha256_at_intake", "received_at", "received_by"])
        writer.writerow([head[k] for k in ("file_id", "case", "original_name", "size", "sha256_at_intake", "received_at", "received_by")])
        writer.writerow([])
        writer.writerow(CUSTODY_COLUMNS)
        for event in events:
            writer.writerow([json.dumps(event[c], sort_keys=True) if c == "detail" else event[c] for c in CUSTODY_COLUMNS])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _no_store(response)


@sensitive_post_parameters()
@login_required
@require_http_methods(["POST"])
def destroy(request: HttpRequest, reference: str, file_id) -> HttpResponse:
    case, file = _file(request, reference, file_id, perm="change_case")
    form = DestroyForm(request.POST)
    if not form.is_valid():
        custody = selectors.custody_for(request.user, file=file)
        context = {"case": case, "file": file, "custody": custody, "destroy_form": form, "preview": file.preview}
        return _no_store(render(request, "evidence/file_detail.html", context, status=400))
    try:
        services.evidence_destroy(actor=request.user, file=file, reason=form.cleaned_data["reason"])
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:detail", reference=case.reference, file_id=file.pk)
    messages.success(request, _("The file was destroyed. A record that it existed, its hash and who destroyed it remain."))
    return redirect("evidence:detail", reference=case.reference, file_id=file.pk)


# --- streaming --------------------------------------------------------------------------

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# More digits than any file size has: such a bound means "beyond the end", and int() of thousands of
# digits would raise (Python's limit on int parsing) or cost time.
_MAX_DIGITS = 18


def _parse_range(header: str, size: int):
    """(start, end) inclusive; None for no usable Range (serve everything); "bad" for unsatisfiable."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match:
        return None  # several ranges or another unit: a server may answer with the whole body
    first, last = (g.lstrip("0") or ("0" if g else "") for g in match.groups())
    if not first and not last:
        return None
    if len(first) > _MAX_DIGITS:
        return "bad"
    last = str(size) if len(last) > _MAX_DIGITS else last
    if not first:
        length = int(last)
        if length == 0:
            return "bad"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "bad"
    return start, end


def _stream(request, *, file: EvidenceFile, record, action: str, inline: bool, filename: str, media_type: str):
    size = record.size
    byte_range = _parse_range(request.headers.get("Range", ""), size)
    if byte_range == "bad":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _no_store(response)
    start, end = byte_range or (0, size - 1)
    chunks = plaintext_range(record, start, end)
    try:
        first = next(chunks, b"")
    except ring.KeyUnavailable:
        return _no_store(render(request, "evidence/unavailable.html", {"file": file, "case": file.case}, status=503))
    except FileNotFoundError:
        services.evidence_integrity_result(actor=request.user, file_id=file.pk, ok=False, detail="blob missing")
        return _no_store(render(request, "evidence/unavailable.html", {"file": file, "case": file.case, "broken": True}, status=500))
    except (TamperedError, EvidenceFormatError) as exc:
        services.evidence_integrity_result(actor=request.user, file_id=file.pk, ok=False, detail=f"download stopped: {exc}")
        return _no_store(render(request, "evidence/unavailable.html", {"file": file, "case": file.case, "broken": True}, status=500))
    services.evidence_access_record(
        actor=request.user, file=file, action=action, copy=None if record is file else record,
        byte_range=(start, end) if byte_range else None,
    )
    user = request.user

    def body():
        yield first
        try:
            yield from chunks
        except (TamperedError, EvidenceFormatError) as exc:
            services.evidence_integrity_result(actor=user, file_id=file.pk, ok=False, detail=f"download cut off: {exc}")
            # Raising (not returning) makes the server drop the connection short of Content-Length.
            raise DownloadCutOff(str(exc)) from None

    response = StreamingHttpResponse(body(), content_type=media_type, status=206 if byte_range else 200)
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; img-src 'self'; sandbox"
    return _no_store(response)


@login_required
@GET
def download(request: HttpRequest, reference: str, file_id) -> HttpResponse:
    _case, file = _file(request, reference, file_id, perm=DOWNLOAD_PERM)
    if file.is_destroyed:
        return _no_store(render(request, "evidence/unavailable.html", {"file": file, "case": file.case, "destroyed": True}, status=410))
    inline = request.GET.get("inline") == "1" and bool(INLINE_TYPES.match(file.media_type))
    return _stream(
        request, file=file, record=file, action="viewed" if inline else "downloaded", inline=inline,
        filename=file.original_name, media_type=file.media_type if inline else "application/octet-stream",
    )


@login_required
@GET
def working_copy(request: HttpRequest, reference: str, file_id, copy_id) -> HttpResponse:
    # A preview is the file's content: the download permission, not only view_case.
    _case, file = _file(request, reference, file_id, perm=DOWNLOAD_PERM)
    if file.is_destroyed:
        raise Http404("No such copy.")
    copy = selectors.working_copy_get_for(request.user, file=file, copy_id=copy_id)
    ext = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(copy.media_type, "bin")
    return _stream(
        request, file=file, record=copy, action="viewed", inline=request.GET.get("download") != "1",
        filename=f"preview-{file.pk}.{ext}", media_type=copy.media_type,
    )

