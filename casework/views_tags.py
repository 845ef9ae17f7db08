"""Tag pages: the admins' list of tags (create, edit, retire) and a case's tags (put on, take off)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import manage_users_required
from audit import actions
from audit.services import audit_read
from casework import tag_selectors, tags
from casework.models_tags import Tag
from cases.selectors import case_get_for, case_perms


class TagForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    colour = forms.ChoiceField(label=gettext_lazy("Colour"), choices=Tag.Colour.choices)
    safe_for_statistics = forms.BooleanField(
        label=gettext_lazy("Safe for statistics"), required=False, help_text=Tag._meta.get_field("safe_for_statistics").help_text,
    )


@manage_users_required
@require_http_methods(["GET", "HEAD"])
def tag_list(request):
    return render(request, "casework/tag_list.html", {"tags": tag_selectors.tags_all()})


@manage_users_required
@require_http_methods(["GET", "HEAD", "POST"])
def tag_edit(request, pk=None):
    tag = tag_selectors.tag_get(pk) if pk else None
    initial = {f: getattr(tag, f) for f in tags.TAG_FIELDS} if tag else {}
    form = TagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if tag is None:
                tags.tag_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Tag created."))
            else:
                tags.tag_update(actor=request.user, tag=tag, **form.cleaned_data)
                messages.success(request, _("Tag saved."))
        except tags.TagError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("casework:tag_list")
    return render(request, "casework/tag_form.html", {"form": form, "tag": tag}, status=400 if form.errors else 200)


@manage_users_required
@require_POST
def tag_retire(request, pk):
    tag = tag_selectors.tag_get(pk)
    retire = request.POST.get("retire") != "no"
    tags.tag_retire(actor=request.user, tag=tag, retire=retire)
    messages.success(request, _("Tag retired: it stays on its cases and is no longer offered.") if retire else _("Tag brought back."))
    return redirect("casework:tag_list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_tags(request, reference):
    """The tags of a case; whoever may edit the case puts one on here."""
    case = case_get_for(request.user, reference=reference)
    may_change = "change_case" in case_perms(request.user, case)
    on_case = tag_selectors.tags_of_case_for(request.user, case)
    offered = [t for t in tag_selectors.tags_active() if t not in on_case]
    if request.method == "POST":
        if not may_change:
            raise Http404("No such page.")
        tag = next((t for t in offered if str(t.pk) == request.POST.get("tag", "")), None)
        if tag is None:
            messages.error(request, _("Choose one of the tags offered."))
            return redirect("casework:case_tags", reference=case.reference)
        tags.case_tag_add(actor=request.user, case=case, tag=tag)
        messages.success(request, _("Tag put on the case."))
        return redirect("casework:case_tags", reference=case.reference)
    audit_read(actor=request.user, action=actions.CASE_VIEWED, target=case, case=case, data={"page": "tags"})
    return render(request, "casework/case_tags.html", {"case": case, "on_case": on_case, "offered": offered, "may_change": may_change})


@login_required
@require_POST
def case_tag_remove(request, reference, pk):
    case = case_get_for(request.user, reference=reference, perm="change_case")
    tag = next((t for t in tag_selectors.tags_of_case_for(request.user, case) if str(t.pk) == str(pk)), None)
    if tag is None:
        raise Http404("No such tag on this case.")
    tags.case_tag_remove(actor=request.user, case=case, tag=tag)
    messages.success(request, _("Tag taken off the case."))
    return redirect("casework:case_tags", reference=case.reference)
