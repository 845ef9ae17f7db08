"""Every named URL of the site, for the attacker tests that sweep them all (a new view cannot escape)."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse


SAMPLE = {"IntConverter": 1, "UUIDConverter": "00000000-0000-4000-8000-000000000001"}


def _dummy_kwargs(pattern) -> dict:
    # A string argument is a case reference where it is one (the cast's first case), else just text.
    return {name: SAMPLE.get(type(conv).__name__, "DAL-2026-0001") for name, conv in pattern.pattern.converters.items()}


def every_named_url():
    """(name, path) for every named URL of the site, arguments filled with plausible values."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = prefix + p.name
                try:
                    yield name, reverse(name, kwargs=_dummy_kwargs(p))
                except Exception:  # a pattern this simple filling cannot build
                    continue

    return sorted(set(walk(get_resolver().url_patterns)))
