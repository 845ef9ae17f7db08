"""The dossier as a PDF: summary, timeline, assessment, contacts, exhibits list.

Rendered with fpdf2 in DejaVu Sans, embedded (referrals/fonts/, Bitstream Vera licence),
which has every Cyrillic letter Russian, Kazakh (ә ғ қ ң ө ұ ү һ і), Kyrgyz, Tajik
(ӣ ӯ ҳ ҷ) and Uzbek (ў қ ғ ҳ; Latin oʻ gʻ) names use. Black text on white, status in
words and bold rather than colour, so it reads the same printed in black and white.
"""

import logging
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
# fontTools reports every glyph it subsets at INFO: noise, and a list of the letters in the dossier.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class _Dossier(FPDF):
    def __init__(self, *, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.footer_text} — {_('page')} {self.page_no()}/{{nb}}", align="C")

    # --- building blocks ---
    def heading(self, text: str, size: int = 14):
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        # A rule under each heading: structure that survives a photocopier.
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(2)

    def para(self, text: str, *, bold: bool = False, size: int = 10):
        if not text:
            return
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pair(self, label: str, value: str):
        if not value:
            return
        self.set_font(FONT, "B", 10)
        self.cell(48, 5.5, f"{label}:")
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 5.5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, items, *, indent: float = 4):
        self.set_font(FONT, "", 10)
        for item in items:
            self.set_x(self.l_margin + indent)
            self.multi_cell(0, 5, f"• {item}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(data: dict) -> bytes:
    """The dossier PDF for the redacted `data` from referrals.dossier.dossier_data."""
    footer = _("Confidential — %(org)s referral %(ref)s to %(recipient)s") % {
        "org": data["organisation"], "ref": data["case_reference"], "recipient": data["recipient"]["name"]
    }
    pdf = _Dossier(footer_text=footer)
    pdf.set_title(_("Referral dossier %(ref)s") % {"ref": data["case_reference"]})
    pdf.set_author(data["organisation"])
    pdf.set_creator("Dalil")
    pdf.add_page()
    for section in (_title, _summary, _timeline, _assessment, _contacts, _exhibits):
        section(pdf, data)
    return bytes(pdf.output())


def _title(pdf: _Dossier, data: dict) -> None:
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, _("Referral dossier"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.para(_("CONFIDENTIAL. Prepared by %(org)s for %(recipient)s (%(kind)s).") % {
        "org": data["organisation"], "recipient": data["recipient"]["name"], "kind": data["recipient"]["kind"]
    }, bold=True)
    pdf.para(_("Shared under the consent of the person concerned, for this recipient only. Do not pass it on."))


def _summary(pdf: _Dossier, data: dict) -> None:
    pdf.heading(_("1. Summary"))
    person = data["person"]
    pdf.pair(_("Case reference"), data["case_reference"])
    pdf.pair(_("Person"), person["name"])
    pdf.pair(_("Sex"), person["sex"])
    pdf.pair(_("Born"), person["born"])
    pdf.pair(_("Nationality"), person["nationality"])
    pdf.pair(_("Status in Russia"), person["status_in_russia"])
    pdf.pair(_("Home region"), person["home_region"])
    pdf.pair(_("Recruitment pathway"), data["case"]["pathway"])
    pdf.pair(_("Known whereabouts"), data["case"]["whereabouts"])
    pdf.pair(_("Whereabouts detail"), data["case"]["whereabouts_detail"])
    if data["case"]["risks"]:
        pdf.pair(_("Risks"), "; ".join(data["case"]["risks"]))
    pdf.pair(_("Purpose"), data["purpose"])
    red = data["redaction"]
    pdf.pair(_("Redaction"), _("person: %(p)s; family: %(f)s; sources: %(s)s") % {"p": red["person"], "f": red["family"], "s": red["sources"]})
    if data["assessment"]:
        met = data["assessment"]["palermo_met"]
        pdf.pair(
            _("Assessment"),
            _("All three Palermo elements are supported.") if met else _("Not every Palermo element is supported yet (see section 3)."),
        )


def _timeline(pdf: _Dossier, data: dict) -> None:
    pdf.heading(_("2. Timeline"))
    if not data["timeline"]:
        pdf.para(_("No events are included in this referral."))
    for ev in data["timeline"]:
        pdf.set_font(FONT, "B", 10)
        title = f"{ev['number']}  {ev['date']}  —  {ev['type']}"
        pdf.multi_cell(0, 5.5, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.5, f"{_('Date precision')}: {ev['precision']}" + (f"   {_('Place')}: {ev['place']}" if ev["place"] else ""), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.para(ev["description"])
        if ev["perpetrators"]:
            pdf.para(f"{_('Alleged perpetrators')}: {', '.join(ev['perpetrators'])}")
        if ev["details"]:
            pdf.bullets(ev["details"])
        if ev["sources"]:
            pdf.para(f"{_('According to')}: {'; '.join(ev['sources'])}", size=9)
        pdf.ln(2)


def _assessment_item(pdf: _Dossier, item: dict) -> None:
    mark = _("SUPPORTED") if item["supported"] else _("NOT SUPPORTED")
    strength = f" ({item['strength']})" if item["strength"] else ""
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5.5, f"[{mark}{strength}]  {item['label']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if item["forms"]:
        pdf.para(f"{_('Forms found')}: {', '.join(item['forms'])}", size=9)
    if item["note"]:
        pdf.para(item["note"], size=9)
    pdf.bullets([f"{s['what']} — {s['strength']}" + (f": {s['note']}" if s["note"] else "") for s in item["support"]], indent=6)


def _assessment(pdf: _Dossier, data: dict) -> None:
    assessment = data["assessment"]
    if not assessment:
        return
    pdf.heading(_("3. Trafficking assessment"))
    pdf.para(_("Palermo Protocol, art. 3: an act, by a means, for the purpose of exploitation. ILO indicators of forced labour."), size=9)
    pdf.para(_("Elements of the definition"), bold=True, size=11)
    for item in assessment["elements"]:
        _assessment_item(pdf, item)
    pdf.ln(2)
    pdf.para(_("ILO indicators of forced labour"), bold=True, size=11)
    for item in assessment["indicators"]:
        _assessment_item(pdf, item)
    missing = [i["label"] for i in assessment["elements"] + assessment["indicators"] if not i["supported"]]
    if missing:
        pdf.ln(1)
        pdf.para(f"{_('Not supported by the material so far')}: {', '.join(missing)}", size=9)
    if assessment["conclusion"]:
        pdf.ln(1)
        pdf.para(_("Conclusion"), bold=True)
        pdf.para(assessment["conclusion"])


def _contacts(pdf: _Dossier, data: dict) -> None:
    if not data["contacts"]:
        return
    pdf.heading(_("4. Contacts"))
    for contact in data["contacts"]:
        pdf.para(f"{contact['name']} — {contact['relationship']}", bold=True)
        pdf.bullets(contact["details"])


def _exhibits(pdf: _Dossier, data: dict) -> None:
    pdf.heading(_("5. Exhibits"))
    if not data["exhibits"]:
        pdf.para(_("No evidence files are included."))
        return
    pdf.para(_("Each exhibit is in the package under the path shown. Its SHA-256 was taken when the file was received; manifest.json carries its custody history and the proofs that the history is in our signed audit log."), size=9)
    for exhibit in data["exhibits"]:
        pdf.para(f"{exhibit['number']}  {exhibit['label']}", bold=True)
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(
            0, 4.2,
            f"{_('Path')}: {exhibit['path']}   {_('Type')}: {exhibit['media_type']}   {_('Size')}: {exhibit['size']} {_('bytes')}\nSHA-256: {exhibit['sha256_at_intake']}",
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )
        pdf.ln(1.5)
