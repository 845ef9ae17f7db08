"""Every user-visible word in a template is marked for translation."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "static_root", "var", ".git"}

# Text that is the same in every language: names, formats and symbols.
ALLOWED = {
    "Dalil", "SHA-256", "CSV", "JSON", "JSON Lines", "XLSX", "PDF", "ZIP", "QR", "API", "URL", "UUID", "ID",
    "ISO 8601", "YYYY", "YYYY-MM", "YYYY-MM-DD", "MIME", "AES-256", "OpenAPI", "Swagger", "Redoc", "HTTP",
}

BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
RAW = re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.S | re.I)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
ELEMENT = re.compile(r"<[^>]*>", re.S)
VISIBLE_ATTRS = re.compile(r"""\b(title|placeholder|aria-label|alt|aria-description)\s*=\s*("([^"]*)"|'([^']*)')""", re.I)
ENTITY = re.compile(r"&[a-zA-Z#0-9]+;")
WORDY = re.compile(r"[^\W\d_]{2,}")


def template_files():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    for base in dirs:
        if base.parts[len(ROOT.parts)] in SKIP_DIRS:
            continue
        yield from sorted(p for p in base.rglob("*") if p.suffix in {".html", ".txt", ".email", ".xml"} and p.is_file())


def unmarked_text(source: str) -> list[str]:
    text = COMMENT_BLOCK.sub(" ", source)
    text = BLOCK.sub(" ", text)
    text = HTML_COMMENT.sub(" ", text)
    text = RAW.sub(" ", text)
    found = []
    for attr in VISIBLE_ATTRS.finditer(text):
        value = TAG.sub(" ", attr.group(3) if attr.group(3) is not None else attr.group(4) or "")
        found.append(value)
    text = ELEMENT.sub("\n", text)
    text = TAG.sub("\n", text)
    found += text.split("\n")
    out = []
    for piece in found:
        piece = ENTITY.sub(" ", piece).strip()
        if not piece or piece in ALLOWED or not WORDY.search(piece):
            continue
        if all(word in ALLOWED for word in re.split(r"[\s·,;:()/]+", piece) if WORDY.search(word)):
            continue
        out.append(piece)
    return out


def test_the_scanner_sees_unmarked_text_and_passes_marked_text():
    assert unmarked_text('<p>Hello <b>{{ name }}</b></p>') == ["Hello"]
    assert unmarked_text('<input placeholder="Search here">') == ["Search here"]
    assert unmarked_text('{% load i18n %}<p>{% translate "Hello" %}</p><a title="{% translate \'Go\' %}">{{ x }}</a>') == []
    assert unmarked_text("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %} · — 42") == []
    assert unmarked_text("<script src=x></script><code>dal_token</code> SHA-256 (CSV)") == []


def test_every_template_string_is_marked_for_translation():
    problems = []
    files = list(template_files())
    assert len(files) > 20
    for path in files:
        for text in unmarked_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}: {text[:80]!r}")
    assert not problems, "Text not marked for translation:\n" + "\n".join(problems)
