import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit import actions
from audit.services import audit_read
from cases.selectors import case_get_for, case_perms
from casework import selectors, services


class FollowUpForm(forms.Form):
    what = forms.CharField(label=gettext_lazy("What"), max_length=300)
    assignee = forms.ModelChoiceField(label=gettext_lazy("Who"), queryset=get_user_model().objects.none())
    due = forms.DateField(label=gettext_lazy("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    every_days = forms.IntegerField(label=gettext_lazy("Repeat every (days)"), required=False, min_value=1, max_value=365)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


def _people_with_access(case):
    users = get_user_model().objects.filter(is_active=True)
    return get_user_model().objects.filter(pk__in=[u.pk for u in users if "view_case" in case_perms(u, case)])


@login_required
def my_work(request):
    data = selectors.my_work(request.user)
    # The page shows what follow-ups say ("call Rustam's sister"): which cases' words were shown is recorded, as for
    # the case list.
    shown = {f.case_id for key in ("overdue", "due_this_week", "later", "to_take_over") for f in data[key]}
    audit_read(actor=request.user, action=actions.MY_WORK_VIEWED, data={"cases": sorted(str(pk) for pk in shown)})
    return render(request, "casework/my_work.html", data)


@login_required
def case_follow_ups(request, reference):
    case = case_get_for(request.user, reference=reference)
    may_change = "change_case" in case_perms(request.user, case)
    form = FollowUpForm(request.POST or None, people=_people_with_access(case), initial={"assignee": request.user, "due": datetime.date.today()})
    if request.method == "POST":
        if not may_change:
            raise Http404("No such page.")
        if form.is_valid():
            try:
                services.follow_up_add(actor=request.user, case=case, **form.cleaned_data)
            except services.FollowUpError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Follow-up added."))
                return redirect("casework:case_follow_ups", reference=case.reference)
    follow_ups = selectors.follow_ups_of_case(request.user, case=case)
    audit_read(actor=request.user, action=actions.CASE_VIEWED, target=case, case=case, data={"page": "follow-ups"})
    return render(request, "casework/case_follow_ups.html", {"case": case, "form": form, "follow_ups": follow_ups, "may_change": may_change},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def done(request, reference, pk):
    case = case_get_for(request.user, reference=reference, perm="change_case")
    follow_up = selectors.open_follow_up_get(request.user, case=case, pk=pk)
    if follow_up is None:
        raise Http404("No such follow-up.")
    nxt = services.follow_up_done(actor=request.user, follow_up=follow_up)
    messages.success(request, _("Done.") if nxt is None else _("Done; the next one is due %(day)s.") % {"day": nxt.due.isoformat()})
    if request.POST.get("next") == "my-work":
        return redirect("casework:my_work")
    return redirect("casework:case_follow_ups", reference=case.reference)


@login_required
@require_POST
def take_over(request, reference, pk):
    """Someone of the case's team takes a follow-up whose assignee lost access (My work, "to take over")."""
    case = case_get_for(request.user, reference=reference, perm="change_case")
    follow_up = selectors.open_follow_up_get(request.user, case=case, pk=pk)
    if follow_up is None or not follow_up.flagged:
        raise Http404("No such follow-up.")
    services.follow_up_reassign(actor=request.user, follow_up=follow_up, assignee=request.user)
    messages.success(request, _("The follow-up is yours now."))
    return redirect("casework:my_work")
