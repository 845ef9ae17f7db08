"""Pages of notes, peer reviews and notifications: thin, through the selectors of casework/notes.py, reviews.py and
notifications.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import has_recent_login, redirect_to_reauthenticate
from audit import actions
from audit.services import audit_read
from cases.selectors import case_get_for, case_perms
from casework import notes, notifications, reviews
from casework.views import _people_with_access
from casework.models_collab import NOTE_MAX_LENGTH


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("Write @username to tell a colleague who can see this case."))


class ReviewRequestForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=gettext_lazy("Reviewer"), queryset=get_user_model().objects.none())
    message = forms.CharField(label=gettext_lazy("Message"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = people


class ReviewAnswerForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", gettext_lazy("Approve")), ("return", gettext_lazy("Return with comments"))])
    comments = forms.CharField(label=gettext_lazy("Comments"), max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    email_digest = forms.BooleanField(label=gettext_lazy("Send me a daily e-mail digest (counts and links only)"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language of e-mails"), required=False, choices=notifications.email_languages)


def _reviewers(case, actor):
    users = get_user_model().objects.filter(is_active=True).exclude(pk=actor.pk)
    return get_user_model().objects.filter(pk__in=[u.pk for u in users if reviews.may_review(u, case)])


def _with_reviewer_state(queryset, case) -> list:
    """A waiting review whose reviewer lost access (or their role) says so: someone else must be asked."""
    listed = list(queryset)
    for review in listed:
        review.reviewer_gone = review.state == review.State.PENDING and not reviews.may_review(review.reviewer, case)
    return listed


@login_required
def case_notes(request, reference):
    case = case_get_for(request.user, reference=reference)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = notes.note_add(actor=request.user, case=case, text=form.cleaned_data["text"])
        except notes.NoteError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Note added."))
            return redirect(f"{request.path}#note-{note.pk}")
    thread = list(notes.notes_for(request.user, case=case))
    audit_read(actor=request.user, action=actions.NOTES_VIEWED, case=case, target=case)
    team = [u.get_username() for u in _people_with_access(case) if u.pk != request.user.pk]
    return render(request, "casework/case_notes.html", {"case": case, "form": form, "notes": thread, "team": team},
                  status=400 if form.errors else 200)


@login_required
def case_reviews(request, reference):
    case = case_get_for(request.user, reference=reference)
    may_change = "change_case" in case_perms(request.user, case)
    form = ReviewRequestForm(request.POST or None, people=_reviewers(case, request.user) if may_change else get_user_model().objects.none())
    if request.method == "POST":
        if not may_change:
            raise Http404("No such page.")
        if form.is_valid():
            try:
                reviews.review_request(actor=request.user, case=case, **form.cleaned_data)
            except reviews.ReviewError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Sent for review."))
                return redirect("casework:case_reviews", reference=case.reference)
    listed = _with_reviewer_state(reviews.reviews_for(request.user, case=case), case)
    audit_read(actor=request.user, action=actions.CASE_REVIEWS_VIEWED, case=case, target=case)
    return render(request, "casework/case_reviews.html", {
        "case": case, "form": form, "reviews": listed, "may_change": may_change, "answer_form": ReviewAnswerForm(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def review_answer(request, reference, pk):
    case = case_get_for(request.user, reference=reference)
    review = reviews.review_get_for(request.user, case=case, review_id=pk)
    if review.reviewer_id != request.user.pk:
        raise Http404("No such review.")
    form = ReviewAnswerForm(request.POST)
    if form.is_valid():
        try:
            reviews.review_answer(actor=request.user, review=review, approve=form.cleaned_data["decision"] == "approve",
                                  comments=form.cleaned_data["comments"])
        except reviews.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect("casework:case_reviews", reference=case.reference)
    listed = _with_reviewer_state(reviews.reviews_for(request.user, case=case), case)
    return render(request, "casework/case_reviews.html", {
        "case": case, "form": None, "reviews": listed, "may_change": False, "answer_form": form, "answering": review.pk,
    }, status=400)


@login_required
def notification_list(request):
    shown = notifications.shown_for(request.user)
    return render(request, "casework/notifications.html", {"shown": shown})


@login_required
@require_POST
def notifications_read(request):
    ids = None
    if request.POST.get("id"):
        try:
            ids = [int(request.POST["id"])]
        except ValueError:
            raise Http404("No such notification.") from None
    notifications.notifications_mark_read(user=request.user, ids=ids)
    return redirect("casework:notifications")


@login_required
def notification_settings(request):
    initial = {"email": request.user.email, **notifications.settings_of(request.user)}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["email"] != (request.user.email or "") and not has_recent_login(request):
            # The address receives the second-factor notices (accounts/factors.py): a stolen session must not
            # divert them to the thief's mailbox without the password.
            return redirect_to_reauthenticate(request)
        notifications.notification_settings_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("casework:notifications")
    return render(request, "casework/notification_settings.html", {"form": form}, status=400 if form.errors else 200)
