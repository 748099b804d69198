"""The annual report as a PDF, made on the server from the same data as its page.

fpdf2: pure Python, installed by pip alone (WeasyPrint would need Pango and Cairo from the
system), and it embeds a subset of a TrueType font, so Ukrainian and Russian print as they are.
Its built-in fonts cover Latin-1 only: the font is DejaVu Sans, kept in council/data/fonts/
with its licence (a Latin and Cyrillic subset, about 100 KB a weight).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from fpdf import FPDF

from council.i18n import babel_locale, current_locale, ngettext
from council.i18n import gettext as _
from council.rules import disclosure
from council.text import markdown
from council.web.labels import consultation_status_name, format_money, response_name

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
FAMILY = "DejaVu"
BODY = 10
LINE = 5.5


def title_of(item: dict[str, Any]) -> str:
    """An item's title in the reader's language where the snapshot has it, else English."""
    titles = item.get("title") or {}
    found: dict[str, str] = (
        titles.get(current_locale.get()) or titles.get("en") or next(iter(titles.values()), {})
    )
    return str(found.get("text", ""))


def number(value: float | int) -> str:
    return format_decimal(value, locale=babel_locale())


class _Report(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="C")


def _line(pdf: FPDF, text: str, *, size: int = BODY, bold: bool = False, gap: float = 0) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, LINE if size <= BODY + 1 else size * 0.55, text)
    pdf.set_x(pdf.l_margin)
    if gap:
        pdf.ln(gap)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    _line(pdf, text, size=14, bold=True, gap=1)


def _fewer(value: int | None, shown: str) -> str:
    return shown if value is not None else _("fewer than %(n)s", n=disclosure.MIN_GROUP_SIZE)


def _amount(value: int | None, currency: str) -> str:
    if value is None:
        return _("not shown: fewer than %(n)s members", n=disclosure.MIN_GROUP_SIZE)
    return format_money(value, currency)


def _header(
    pdf: FPDF, data: dict[str, Any], name: str, address: str, preview: bool, day: Any
) -> None:
    _line(pdf, name, size=16, bold=True)
    for part in (p.strip() for p in address.split(";")):
        if part:
            _line(pdf, part, size=9)
    pdf.ln(4)
    _line(pdf, _("Annual report %(year)s", year=data["year"]), size=20, bold=True, gap=1)
    if preview:
        _line(pdf, _("Preview: not published. The figures may still change."), bold=True)
    else:
        when = day(data["as_of"][:10])
        _line(pdf, _("Published %(day)s, with the figures as they stood that day.", day=when))


def _foreword(pdf: FPDF, foreword: str) -> None:
    if not foreword:
        return
    _heading(pdf, _("Foreword"))
    pdf.set_font(FAMILY, size=BODY)
    pdf.write_html(str(markdown(foreword)))
    pdf.set_x(pdf.l_margin)


def _consultations(pdf: FPDF, items: list[dict[str, Any]], day: Any) -> None:
    _heading(pdf, _("Consultations held"))
    if not items:
        _line(pdf, _("No consultation was opened this year."))
        return
    for c in items:
        _line(pdf, title_of(c), bold=True)
        period = _(
            "Comments from %(start)s to %(end)s", start=day(c["opened"]), end=day(c["deadline"])
        )
        if c["days"] is not None:
            period += " · " + ngettext("%(num)s day", "%(num)s days", c["days"])
        _line(pdf, f"{c['ministry']} · {period} · {consultation_status_name(c['status'])}", gap=1.5)


def _responses(pdf: FPDF, totals: dict[str, Any], ministries: list[dict[str, Any]]) -> None:
    _heading(pdf, _("Government responses"))
    rows = [
        (_("Recommendations made"), totals["made"]),
        (_("Responded to"), totals["responded"]),
        (_("Accepted"), totals["accepted"]),
        (_("Partly accepted"), totals["partly"]),
        (_("Rejected"), totals["rejected"]),
        (_("Under consideration"), totals["considering"]),
        (_("Responses overdue"), totals["overdue"]),
    ]
    median = totals["median_days"]
    rows.append(
        (
            _("Median days to respond"),
            number(median) if median is not None else _("no responses yet"),
        )
    )
    pdf.set_font(FAMILY, size=BODY)
    with pdf.table(
        col_widths=(3, 1), text_align=("LEFT", "RIGHT"), first_row_as_headings=False
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(str(value))
    if len(ministries) > 1:
        pdf.ln(2)
        with pdf.table(
            col_widths=(3, 1, 1, 1), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")
        ) as table:
            head = table.row()
            for text in (_("Ministry"), _("Made"), _("Responded to"), _("Overdue")):
                head.cell(text)
            for m in ministries:
                row = table.row()
                for value in (m["ministry"], m["made"], m["responded"], m["overdue"]):
                    row.cell(str(value))


def _positions(pdf: FPDF, positions: list[dict[str, Any]], day: Any) -> None:
    _heading(pdf, _("Positions and recommendations"))
    if not positions:
        _line(pdf, _("No position was published this year."))
        return
    for p in positions:
        _line(pdf, title_of(p), size=12, bold=True)
        _line(
            pdf,
            _(
                "To the %(ministry)s, published %(day)s",
                ministry=p["ministry"],
                day=day(p["published"]),
            )
            + (" · " + _("answer due %(day)s", day=day(p["due"])) if p["due"] else ""),
            size=9,
            gap=1,
        )
        for r in p["recommendations"]:
            _line(pdf, f"{r['number']}. {r['text']}")
            if r["status"]:
                answer = (
                    response_name(r["status"])
                    + " · "
                    + ngettext(
                        "answered after %(num)s day", "answered after %(num)s days", r["days"] or 0
                    )
                )
            elif r["overdue"]:
                answer = _("No answer yet: overdue")
            else:
                answer = _("No answer yet")
            _line(pdf, "    " + answer, size=9, gap=1)
        pdf.ln(1)


def _participation(pdf: FPDF, data: dict[str, Any]) -> None:
    _heading(pdf, _("Participation and payments"))
    _line(
        pdf,
        _(
            "Figures about members are shown only for groups of %(n)s or more, and never for "
            "one person.",
            n=disclosure.MIN_GROUP_SIZE,
        ),
        size=9,
        gap=1,
    )
    part = data["participation"]
    _line(
        pdf,
        _("Members who took part in paid work")
        + ": "
        + _fewer(part["members"], str(part["members"])),
    )
    _line(
        pdf, _("Pieces of paid work") + ": " + _fewer(part["engagements"], str(part["engagements"]))
    )
    for pay in data["payments"]:
        fees, expenses = pay["fees_minor"], pay["expenses_minor"]
        shown_fees = format_money(fees, pay["currency"]) if fees is not None else ""
        shown_expenses = format_money(expenses, pay["currency"]) if expenses is not None else ""
        _line(
            pdf,
            _("Fees (%(currency)s)", currency=pay["currency"]) + ": " + _fewer(fees, shown_fees),
        )
        _line(
            pdf,
            _("Expenses reimbursed (%(currency)s)", currency=pay["currency"])
            + ": "
            + _fewer(expenses, shown_expenses),
        )


def build(
    data: dict[str, Any], *, council_name: str, council_address: str, preview: bool, day: Any
) -> bytes:
    pdf = _Report(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    # Bold and italic in the foreword's Markdown: the bold face stands in for italic too.
    pdf.add_font(FAMILY, "I", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "BI", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(_("Annual report %(year)s", year=data["year"]))
    pdf.set_author(council_name)
    pdf.set_lang(current_locale.get())
    pdf.footer_text = _("Annual report %(year)s", year=data["year"])
    pdf.add_page()
    _header(pdf, data, council_name, council_address, preview, day)
    _foreword(pdf, data.get("foreword", ""))
    _consultations(pdf, data["consultations"], day)
    _positions(pdf, data["positions"], day)
    _responses(pdf, data["responses"], data["ministries"])
    _participation(pdf, data)
    return bytes(pdf.output())
