import json

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit import actions, selectors
from audit.forms import AuditFilterForm
from audit.merkle import leaf_hash
from audit.services import audit_read
from common import csv_export

EXPORT_COLUMNS = ("seq", "at", "actor_id", "actor_label", "action", "target_type", "target_id", "case_ref", "ip",
                  "user_agent", "fields", "data", "mac", "leaf_hash")


def before_of(request) -> int | None:
    """The `before` query parameter of keyset paging (audit.selectors.page), or None."""
    try:
        value = int(request.GET.get("before", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


@login_required
@require_GET
def log(request):
    """The whole log, for admins: filters and keyset paging."""
    form = AuditFilterForm(request.GET or None)
    selectors.audit_events_for(request.user)  # 404 for anyone but an admin, before looking at the input
    if form.is_bound and not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "events": [], **selectors.denial_alerts_for(request.user)}, status=400)
    filters = form.filters() if form.is_bound else {}
    qs = selectors.audit_events_for(request.user, **filters)
    events, next_before = selectors.page(qs, before=before_of(request))
    audit_read(actor=request.user, action=actions.AUDIT_LOG_VIEWED, data={"filters": _jsonable(filters)})
    query = request.GET.copy()
    query.pop("before", None)
    from audit.timestamps import last_stamped

    return render(request, "audit/log.html", {
        "form": form, "events": events, "next_before": next_before, "query": query.urlencode(), "last_stamp": last_stamped(),
        "rows": selectors.audit_rows(request.user, events), **selectors.denial_alerts_for(request.user),
    })


def _jsonable(filters: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items() if v}


def _export_rows(qs):
    from audit import chain

    for event in qs.iterator(chunk_size=2000):
        content = chain.canonical_of(event)
        yield {
            "seq": event.seq, "at": chain.format_at(event.at), "actor_id": event.actor_id, "actor_label": event.actor_label,
            "action": event.action, "target_type": event.target_type, "target_id": event.target_id, "case_ref": event.case_ref,
            "ip": event.ip, "user_agent": event.user_agent, "fields": event.fields, "data": event.data, "mac": event.mac,
            "leaf_hash": leaf_hash(content).hex(),
        }


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def export(request, fmt):
    """CSV or JSON Lines of the filtered log, oldest first, with each event's MAC and leaf hash. Audited."""
    selectors.audit_events_for(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "events": []}, status=400)
    filters = form.filters() if form.is_bound else {}
    qs = selectors.audit_events_for(request.user, **filters).order_by("seq")
    audit_read(actor=request.user, action=actions.AUDIT_LOG_EXPORTED, data={"format": fmt, "filters": _jsonable(filters)})
    if fmt == "csv":
        writer = csv_export.writer(_Echo())

        def lines():
            yield writer.writerow(EXPORT_COLUMNS)
            for row in _export_rows(qs):
                yield writer.writerow([json.dumps(row[c]) if c in ("fields", "data") else ("" if row[c] is None else row[c])
                                       for c in EXPORT_COLUMNS])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            (json.dumps(row, ensure_ascii=False) + "\n" for row in _export_rows(qs)), content_type="application/x-ndjson"
        )
    response["Content-Disposition"] = f'attachment; filename="audit-log.{"csv" if fmt == "csv" else "jsonl"}"'
    return response


@login_required
@require_GET
def my_sign_ins(request):
    """The user's own recent sign-ins (to spot a stolen password)."""
    return render(request, "audit/sign_ins.html", {"signins": selectors.recent_sign_ins(request.user, limit=50)})
