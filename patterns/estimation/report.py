"""An estimate as people read it: the page's rows, the CSV and a short PDF note. Aggregates only; cells below
the dashboard's k (patterns.stats.suppress) are shown as "<k"."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import csv_export
from patterns.stats import small_cell_k, suppress

ASSUMPTIONS = (
    gettext_lazy("Closed population: nobody joined or left the group between the lists (for example, by death or return)."),
    gettext_lazy("Lists are independent, or their dependence is captured by the model: being on one list does not change the chance of being on another, unless the model allows for it."),
    gettext_lazy("Equal catchability: within a group, each man has the same chance of being on a list. Splitting by nationality, region or year lessens this."),
    gettext_lazy("Linking is right: the same man on two lists is recognised, and two men are not taken for one."),
)


def _cell(value) -> str:
    return suppress(value) if isinstance(value, int) else str(value)


def for_page(results: list[dict]) -> list[dict]:
    """The results with small counts suppressed and bars (0–100) for the picture of the capture histories."""
    out = []
    for r in results:
        histories = r.get("histories", {})
        top = max(histories.values(), default=1) or 1
        bars = [{"pattern": p, "count": _cell(n),
                 "width": round(100 * n / top, 1) if n >= small_cell_k() else 0} for p, n in histories.items()]
        out.append({**r, "observed_shown": _cell(r["observed"]), "overlaps_shown": {k: _cell(v) for k, v in r["overlaps"].items()},
                    "bars": bars, "suppressed": r["observed"] < small_cell_k()})
    return out


def csv_rows(results: list[dict]) -> list[list]:
    rows = [[_("stratum"), _("lists"), _("observed"), _("estimate"), _("lower bound (95%)"), _("upper bound (95%)"), _("model"), _("overlaps"), _("warnings")]]
    for r in results:
        hidden = r["observed"] < small_cell_k()
        rows.append([
            r["stratum"], r["lists"], _cell(r["observed"]),
            "" if hidden else r["estimate"], "" if hidden else r["ci95"][0], "" if hidden else r["ci95"][1], r["model"],
            "; ".join(f"{k}: {_cell(v)}" for k, v in r["overlaps"].items()), " ".join(r["warnings"]),
        ])
    return rows


def csv_bytes(results: list[dict]) -> bytes:
    out = io.StringIO()
    csv_export.writer(out).writerows(csv_rows(results))
    return out.getvalue().encode("utf-8-sig")


def pdf_note(results: list[dict]) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF()

    def line(height: float, text) -> None:
        pdf.multi_cell(0, height, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    font = Path(__file__).resolve().parents[2] / "referrals" / "fonts" / "DejaVuSans.ttf"
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    pdf.set_font_size(14)
    line(8, _("Population estimate from overlapping lists"))
    pdf.set_font_size(10)
    for row in csv_rows(results)[1:]:
        stratum, lists, observed, estimate, lo, hi, model, overlaps, warnings = row
        text = _("%(stratum)s: %(observed)s people on %(lists)s lists; estimated %(estimate)s in all (95%% interval %(lo)s–%(hi)s). Model: %(model)s.") % {
            "stratum": stratum, "observed": observed, "lists": lists, "estimate": estimate or "—", "lo": lo or "—", "hi": hi or "—", "model": model}
        line(6, text)
        line(6, _("Overlaps: %(o)s") % {"o": overlaps})
        if warnings:
            line(6, _("Warnings: %(w)s") % {"w": warnings})
        pdf.ln(2)
    pdf.set_font_size(9)
    line(5, _("Assumptions:"))
    for assumption in ASSUMPTIONS:
        line(5, "• " + str(assumption))
    line(5, _("Method: multiple-systems estimation (Chapman for two lists, log-linear models chosen by BIC for three to six); see Dalil's docs/estimation.md."))
    return bytes(pdf.output())
