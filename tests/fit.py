"""The one check that pages fit a phone (390 px) and a laptop, in English and Russian: no sideways scroll.

Each browser test of a folder builds its objects, then asks `pages_that_do_not_fit` for the pages of each user."""

from django.test import Client

from tests.cast import sign_in

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
SIZES = ((390, 844), (1366, 900))
LANGUAGES = ("en", "ru")


def pages_that_do_not_fit(browser, live_server, visits, *, statuses=(200,), open_details=False) -> list[str]:
    """`visits`: (user, [path, …]) pairs. Returns one line per page that answers another status or scrolls sideways
    (with every <details> opened first when `open_details`)."""
    problems = []
    for user, paths in visits:
        session = sign_in(Client(), user).cookies["sessionid"].value
        for width, height in SIZES:
            context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            for lang in LANGUAGES:
                context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
                for path in paths:
                    response = page.goto(path)
                    if open_details:
                        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
                    scroll, inner = page.evaluate(WIDTH)
                    if response.status not in statuses or scroll > inner:
                        problems.append(f"{user} {lang} {width}px {path}: {response.status}, {scroll} > {inner}")
            context.close()
    return problems
