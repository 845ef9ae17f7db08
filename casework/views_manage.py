"""Admins' side of follow-ups: after someone lost access to a case, give their open follow-ups to someone who has it.

Reached from the case's access page (/manage/cases/<ref>/access/). An access manager sees the reference, due dates
and usernames here, never what a follow-up says: that is the case's content, read only with a grant on the case.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import manage_access_required, recent_login_required
from cases import access
from casework import selectors, services
from casework.views import _people_with_access


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=gettext_lazy("Give it to"), queryset=get_user_model().objects.none(),
                                      help_text=gettext_lazy("Only people who can see the case are offered."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


def _managed_case(reference: str):
    case = access.cases_by_reference_for_management([reference]).first()
    if case is None:
        raise Http404("No such case.")
    return case


def flagged_summary(user, case) -> dict:
    """The access page's line (cases.sections.access_section_register): how many, and where to reassign them."""
    count = selectors.flagged_follow_ups_of_managed_case(case).count()
    return {"count": count, "url": reverse("casework:manage_follow_ups", kwargs={"reference": case.reference})}


def _page(request, case, form=None, failed=None, status=200):
    people = _people_with_access(case)
    rows = [(f, form if failed == f.pk else ReassignForm(people=people, prefix=str(f.pk)))
            for f in selectors.flagged_follow_ups_of_managed_case(case)]
    return render(request, "casework/manage_follow_ups.html", {"case": case, "rows": rows}, status=status)


@manage_access_required
def manage_follow_ups(request, reference):
    return _page(request, _managed_case(reference))


@require_POST
@manage_access_required
@recent_login_required
def manage_follow_up_reassign(request, reference, pk):
    case = _managed_case(reference)
    follow_up = selectors.flagged_follow_ups_of_managed_case(case).filter(pk=pk).first()
    if follow_up is None:
        raise Http404("No such follow-up.")
    form = ReassignForm(request.POST, people=_people_with_access(case), prefix=str(pk))
    if form.is_valid():
        try:
            services.follow_up_reassign(actor=request.user, follow_up=follow_up, assignee=form.cleaned_data["assignee"])
        except services.FollowUpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Follow-up given to %(name)s.") % {"name": form.cleaned_data["assignee"].get_username()})
            return redirect("casework:manage_follow_ups", reference=case.reference)
    return _page(request, case, form=form, failed=follow_up.pk, status=400)
