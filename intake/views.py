"""The internal side: the queue of family reports, one report at a time, triage, replies, retention."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_admin
from cases import drafts
from cases.selectors import case_get_for
from intake import selectors, services, triage
from intake.models import IntakeSettings, Submission


def _triage_only(request):
    if not selectors.may_triage(request.user):
        raise Http404("No such page.")


@login_required
def queue(request):
    _triage_only(request)
    # The files of each report are counted here, in the view's one query, not row by row in the template.
    waiting = selectors.submissions_for(request.user).filter(status=Submission.Status.NEW).annotate(file_count=Count("attachments"))
    done = selectors.submissions_for(request.user).exclude(status=Submission.Status.NEW).order_by("-handled_on")[:20]
    return render(request, "intake/queue.html", {
        "waiting": waiting, "done": done, "retention": IntakeSettings.current(), "can_set_retention": is_admin(request.user),
    })


@login_required
def detail(request, submission_id):
    submission = selectors.submission_get_for(request.user, submission_id=submission_id)
    return _detail_page(request, submission)


def _detail_page(request, submission, *, reply_text: str = "", status: int = 200):
    report = services.opened(submission)
    services.viewed(actor=request.user, submission=submission)
    files = [dict(services.attachment_opened(a), id=a.pk, imported=a.imported) for a in submission.attachments.all()]
    matches = selectors.likely_matches(request.user, report["answers"]) if submission.status == Submission.Status.NEW else []
    return render(request, "intake/detail.html", {
        "submission": submission, "report": report, "answers": report["answers"], "files": files, "matches": matches,
        "may_triage": selectors.may_triage(request.user), "reply_text": reply_text,
    }, status=status)


@login_required
def attachment(request, submission_id, attachment_id):
    submission = selectors.submission_get_for(request.user, submission_id=submission_id)
    if not selectors.may_triage(request.user):
        raise Http404("No such file.")
    found = submission.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404("No such file.")
    opened = services.attachment_opened(found)
    services.viewed(actor=request.user, submission=submission, attachment=found)
    response = HttpResponse(opened["data"], content_type=opened["type"])
    response["Content-Disposition"] = "attachment"
    return response


@login_required
@require_POST
def decide(request, submission_id):
    _triage_only(request)
    submission = selectors.submission_get_for(request.user, submission_id=submission_id)
    choice = request.POST.get("decision")
    try:
        if choice == "new":
            case = triage.to_new_case(actor=request.user, submission=submission)
        elif choice == "existing":
            case = case_get_for(request.user, reference=request.POST.get("reference", "").strip(), perm="change_case")
            triage.to_existing_case(actor=request.user, submission=submission, case=case)
        elif choice == "decline":
            triage.decline(actor=request.user, submission=submission, reply=request.POST.get("reply", ""))
            messages.success(request, _("Marked as not for us."))
            return redirect("intake:queue")
        else:
            raise Http404("No such decision.")
    except triage.TriageError as exc:
        messages.error(request, str(exc))
        return redirect("intake:detail", submission_id=submission.pk)
    messages.success(request, _("The report is now part of case %(ref)s.") % {"ref": case.reference})
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def reply(request, submission_id):
    submission = selectors.submission_get_for(request.user, submission_id=submission_id)
    if notice := drafts.held(request):
        # Too long, or written before the session ended: the reply comes back in its box, not sent.
        messages.warning(request, notice)
        return _detail_page(request, submission, reply_text=request.POST.get("text", ""), status=drafts.held_status(request))
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("Write a reply first."))
    else:
        services.reply(actor=request.user, submission=submission, text=text)
        messages.success(request, _("Reply sealed; the family reads it with their codename."))
    return redirect("intake:detail", submission_id=submission.pk)


@login_required
@require_POST
def retention(request):
    if not is_admin(request.user):
        raise Http404("No such page.")
    try:
        days = int(request.POST.get("days", ""))
        if not 7 <= days <= 3650:
            raise ValueError
    except ValueError:
        messages.error(request, _("Give a number of days between 7 and 3650."))
    else:
        services.retention_set(actor=request.user, days=days)
        messages.success(request, _("Untriaged reports are now destroyed after %(days)s days.") % {"days": days})
    return redirect("intake:queue")


@login_required
def for_case(request, reference):
    case = case_get_for(request.user, reference=reference)
    reports = selectors.submissions_for(request.user).filter(case=case)
    return render(request, "intake/for_case.html", {"case": case, "reports": reports})
