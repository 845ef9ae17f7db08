"""Every page, for every role, at a phone's and a laptop's size, in every language it is shown in.

A crawler signs in as the role and follows the links it is shown (one page per kind of page), then checks each,
in each language of the staff interface (settings.LANGUAGES: English and Russian) at both sizes: no sideways
scrolling, one h1, a title, no serious or critical axe-core violation, and a header at most 64 px tall on a
phone. The public report pages, the only ones in all six languages (settings.DALIL_INTAKE_LANGUAGES: en, ru, uz,
kk, ky, tg), are walked the same way in each of them: the language chooser, the report form and the follow-up
form. Everything found is reported at once. axe-core is vendored under tests/e2e/vendor, never served.

The time this costs: one page per kind of page (not every case), axe on each at both sizes; the staff walk is
about 30 pages x 2 languages x 2 sizes per role, the public walk 13 pages x 2 sizes.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"phone": (390, 844), "laptop": (1366, 900)}
# Downloads, exports, machine answers and actions are not pages to look at.
NOT_PAGES = re.compile(r"/download/|/logout/|\.(csv|jsonl|json|zip|pdf)$|/export|/research-export|/progress|/api/v1/|/copies/|/setlang/|/stats\.csv")
MAX_PAGES = 60
SCREENSHOTS = {  # (role, url name, size) -> file under docs/screenshots
    ("caseworker", "cases:list", "laptop"): "case-list.png",
    ("caseworker", "cases:detail", "phone"): "case-page-phone.png",
    ("caseworker", "evidence:detail", "laptop"): "file-page.png",
    ("admin", "audit:log", "laptop"): "audit-log.png",
}
CHECK = """(axeSource) => {
  const h = document.querySelector('.site-header');
  return {
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    h1: document.querySelectorAll('h1').length, title: document.title.trim(),
    header: h ? h.getBoundingClientRect().height : 0,
    wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
      && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
      + (e.id ? '#' + e.id : '') + ' «' + (e.textContent || '').trim().slice(0, 30) + '»'),
  };
}"""
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _kind(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()


def _crawl(page) -> dict[str, str]:
    """url name -> first URL of that kind reachable by following links from the case list."""
    found, queue, seen = {}, ["/", "/api/tokens/", "/audit/sign-ins/"], set()
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        kind = _kind(path)
        if url in seen or kind is None or kind in found or NOT_PAGES.search(path):
            continue
        seen.add(url)
        response = page.goto(url)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        found[kind] = url
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href.split("#")[0])
    return found


def _check(page, role, lang, kind, url, problems):
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        facts = page.evaluate(CHECK, None)
        where = f"{role} {lang} {size} {kind} {url}"
        if facts["scroll"] > facts["inner"]:
            problems.append(f"{where}: scrolls sideways ({facts['scroll']} > {facts['inner']}): {facts['wide']}")
        if facts["h1"] != 1:
            problems.append(f"{where}: {facts['h1']} h1 elements")
        if not facts["title"]:
            problems.append(f"{where}: no title")
        if size == "phone" and facts["header"] > 64:
            problems.append(f"{where}: header {facts['header']:.0f} px tall")
        if page.evaluate("() => typeof axe") == "undefined":
            page.evaluate(AXE)
        problems.extend(f"{where}: {v}" for v in page.evaluate(AXE_RUN))
        shot = SCREENSHOTS.get((role, kind, size))
        if shot and lang == "en":
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS / shot), full_page=True)


def _check_more(page, role, lang, cast, problems):
    """Pages no link leads to: a refusal (403) for those who may not manage, a confirmation step for an admin."""
    if role != "admin":
        page.goto("/manage/users/")
        _check(page, role, lang, "403", "/manage/users/", problems)
        return
    page.goto(f"/manage/users/{cast.caseworker2.pk}/")
    page.locator("form[action$='/deactivate/'] button").click()
    page.wait_for_selector("#confirm-action")
    _check(page, role, lang, "confirm", "deactivate", problems)


@pytest.fixture
def walk_data(settings, transactional_db):
    settings.DALIL_2FA_REQUIRED_FOR = []
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests.e2e.walk_data import build_walk_data

    return build_walk_data()


@pytest.mark.parametrize("role", ["caseworker", "legal", "admin"])
def test_every_page_for_every_role(browser, live_server, walk_data, role, settings):
    cast, _evidence = walk_data
    user = {"caseworker": cast.caseworker1, "legal": cast.legal1, "admin": cast.admin1}[role]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    try:
        # Before signing in: the sign-in page and a missing page.
        for url in ("/accounts/login/", "/no-such-page/"):
            page.goto(url)
            _check(page, "anonymous", "en", url, url, problems)
        _sign_in(page, user.username)
        pages = _crawl(page)
        assert len(pages) >= 5, pages
        for lang, _name in settings.LANGUAGES:
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            for kind, url in pages.items():
                page.goto(url)
                _check(page, role, lang, kind, url, problems)
            _check_more(page, role, lang, cast, problems)
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)


def test_the_public_report_pages_in_every_language(browser, live_server, settings, transactional_db):
    """The pages a family reaches without an account, in each of the six languages they are offered in."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems, walked = [], []
    try:
        page.goto("/report/")
        _check(page, "public", "-", "report:choose", "/report/", problems)
        for lang, _name in settings.DALIL_INTAKE_LANGUAGES:
            for url in (f"/report/{lang}/", f"/report/{lang}/follow-up/"):
                response = page.goto(url)
                assert response is not None and response.status == 200, url
                html_lang = page.evaluate("() => document.documentElement.lang")
                if html_lang != lang:
                    problems.append(f"public {lang} {url}: <html lang={html_lang!r}>")
                _check(page, "public", lang, url, url, problems)
                walked.append(url)
    finally:
        context.close()
    assert len(walked) == 2 * len(settings.DALIL_INTAKE_LANGUAGES) == 12
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
