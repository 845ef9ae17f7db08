"""The public side: the report form, the codename, the follow-up. No account, no cookie, no address kept.

Every view here runs with an empty audit context (no address, no user agent reaches an audit event), sets no
cookie (the language is in the address; no CSRF cookie: the form carries no ambient authority, and the
follow-up's authority is the codename in the POST body), and answers with no-store and no referrer.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from audit import context
from intake import services
from intake.attachments import AttachmentRefused
from intake.forms import CodenameForm, FollowUpForm, ReportForm

LANGUAGES = dict(settings.DALIL_INTAKE_LANGUAGES)


def public(view):
    """No trace: an empty audit context, the page's language from its address, no caching, no referrer."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, lang="", *args, **kwargs):
        if lang and lang not in LANGUAGES:
            raise Http404("No such language.")
        token = context.set_current(context.RequestContext())
        try:
            with translation.override(lang or "en"):
                response = view(request, lang or "en", *args, **kwargs)
        finally:
            context.reset(token)
        response["Cache-Control"] = "no-store, private, max-age=0"
        response["Referrer-Policy"] = "no-referrer"
        response.cookies.clear()
        return response

    return wrapper


def _page(request, lang, template, ctx=None, status=200):
    base = {"lang": lang, "languages": settings.DALIL_INTAKE_LANGUAGES}
    return render(request, f"intake/public/{template}", {**base, **(ctx or {})}, status=status)


@public
def choose(request, lang):
    return _page(request, lang, "choose.html")


@public
def report(request, lang):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        try:
            _submission, codename = services.submit(answers=answers, files=form.cleaned_data["files"], language=lang)
        except AttachmentRefused as exc:
            form.add_error("files", str(exc))
        except services.Busy:
            return _page(request, lang, "form.html", {"form": form, "busy": True}, status=503)
        else:
            return _page(request, lang, "done.html", {"codename": codename})
    return _page(request, lang, "form.html", {"form": form}, status=400 if form.errors else 200)


@public
def follow_up(request, lang):
    if request.method != "POST":
        return _page(request, lang, "follow_up.html", {"form": CodenameForm()})
    found = services.find(request.POST.get("codename", ""))
    if found is None:
        form = CodenameForm(request.POST)
        form.is_valid()
        form.add_error(None, translation.gettext("We found no report for that codename. Check the words and try again; after several tries, wait an hour."))
        return _page(request, lang, "follow_up.html", {"form": form}, status=404)
    submission, keys = found
    added = False
    form = FollowUpForm(initial={"codename": request.POST["codename"]})
    if request.POST.get("action") == "add":
        form = FollowUpForm(request.POST, request.FILES)
        if form.is_valid() and (form.cleaned_data["text"].strip() or form.cleaned_data["files"]):
            try:
                services.follow_up(submission=submission, text=form.cleaned_data["text"], files=form.cleaned_data["files"])
            except AttachmentRefused as exc:
                form.add_error("files", str(exc))
            else:
                added = True
                form = FollowUpForm(initial={"codename": request.POST["codename"]})
    thread = services.replies_for(submission, keys)
    return _page(request, lang, "thread.html", {"form": form, "thread": thread, "added": added, "submission": submission})
