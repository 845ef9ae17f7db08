"""A case's access history: who saw and changed the case, or one object of it, read from the audit log.

The case is resolved and scoped here (404 for anyone who may not view it); the log is then read by the
case's id and reference through the audit app's selectors, which know no case model.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit import actions
from audit import selectors as audit_selectors
from audit.services import audit_read
from audit.views import before_of
from cases.audit_present import rows
from cases.selectors import case_get_for


@login_required
@require_GET
def case_history(request, reference):
    """The access history tab of a case: for anyone who may view the case."""
    case = case_get_for(request.user, reference=reference)
    qs = audit_selectors.case_events(case_id=case.pk, reference=case.reference)
    events, next_before = audit_selectors.page(qs, before=before_of(request))
    audit_read(actor=request.user, action=actions.AUDIT_HISTORY_VIEWED, target=case)
    return render(request, "cases/history.html", {"case": case, "events": events, "rows": rows(request.user, events), "next_before": next_before})


@login_required
@require_GET
def object_history(request, reference, target_type, target_id):
    """The access history of one object of a case (an evidence file, the person...)."""
    case = case_get_for(request.user, reference=reference)
    qs = audit_selectors.object_events(reference=case.reference, target_type=target_type, target_id=target_id)
    events, next_before = audit_selectors.page(qs, before=before_of(request))
    audit_read(actor=request.user, action=actions.AUDIT_HISTORY_VIEWED, case=case,
               data={"target_type": target_type, "target_id": str(target_id)})
    return render(request, "cases/history.html", {
        "case": case, "events": events, "rows": rows(request.user, events), "next_before": next_before, "target_type": target_type,
        "target_id": target_id,
    })
