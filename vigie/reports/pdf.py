"""The point de situation as PDF, through fpdf2 with an embedded DejaVu Sans (subset).

Same sections as the Markdown, same data. During an exercise every page carries a red
EXERCICE band in its header and footer, and every section title ends with "EXERCICE".
Characters the font lacks (most emoji) are dropped rather than printed as empty boxes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from vigie.reports.drawing import FONT_DIR
from vigie.reports.labels import (
    CATEGORIES,
    CLAIM_STATUSES,
    EVENT_KINDS,
    ROAD_TYPES,
    SEVERITIES,
    VERDICTS,
    local,
    number,
    short,
)
from vigie.reports.markdown import (
    EXERCISE_BANNER,
    HIDDEN_EVENTS,
    PEOPLE_HEADINGS,
    SECTION_TITLES,
    key_figures,
    people_rows,
    period_text,
)
from vigie.reports.sitrep import Sitrep
from vigie.ui.safe import clean

FONT = "DejaVu"
RED = (176, 0, 32)
GREY = (90, 90, 90)
HEAD_FILL = (225, 230, 236)
MAP_MM = 150
CHART_MM = 180


def picture_height(png: bytes, width: float) -> float:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return width * im.height / im.width


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    fonts = [TTFont(str(FONT_DIR / name), lazy=True)
             for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    common = set(fonts[0].getBestCmap())
    for f in fonts[1:]:
        common &= set(f.getBestCmap())
    return frozenset(common)


def printable(text: Any) -> str:
    """Text the embedded font can draw: control characters and missing glyphs removed."""
    glyphs = _glyphs()
    value = clean("" if text is None else str(text))
    return "".join(ch for ch in value if ch in "\n" or ord(ch) in glyphs).strip()


class ReportPDF(FPDF):
    def __init__(self, title: str, exercise: bool) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.exercise = exercise
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 22, 15)
        self.set_title(title)
        self.set_author("Vigie")
        self.set_creator("Vigie")

    def _band(self, y: float) -> None:
        self.set_fill_color(*RED)
        self.set_text_color(255, 255, 255)
        self.set_font(FONT, "B", 9)
        self.set_xy(0, y)
        self.cell(self.w, 6, "EXERCICE — EXERCICE — EXERCICE", align="C", fill=True)
        self.set_text_color(0, 0, 0)

    def header(self) -> None:
        if self.exercise:
            self._band(0)
        self.set_xy(15, 8)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(self.epw / 2, 5, printable(self.report_title))
        self.cell(self.epw / 2, 5, f"page {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)
        self.set_y(20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(0, 4, "Document établi par Vigie — diffusion restreinte aux partenaires "
                  "de la cellule de crise", align="C")
        self.set_text_color(0, 0, 0)
        if self.exercise:
            self._band(self.h - 7)

    # -- building blocks -------------------------------------------------------------------

    def section(self, index: int, keep: float = 30) -> None:
        """A numbered section title, kept on the same page as the next `keep` mm."""
        if self.will_page_break(keep):
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 13)
        self.set_text_color(20, 50, 90)
        self.cell(0, 8, f"{index}. {SECTION_TITLES[index - 1]}")
        if self.exercise:
            self.set_text_color(*RED)
            self.set_font(FONT, "B", 10)
            self.cell(0, 8, "EXERCICE", align="R")
        self.ln(9)
        self.set_draw_color(20, 50, 90)
        self.line(self.l_margin, self.get_y() - 1, self.w - self.r_margin, self.get_y() - 1)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", 9.5)

    def para(self, text: str, *, size: float = 9.5, bold: bool = False,
             color: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, 5, printable(text), align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", 9.5)

    def grid(self, headings: list[str] | None, rows: list[list[Any]], widths: tuple[int, ...],
             align: tuple[str, ...] | None = None) -> None:
        self.set_font(FONT, "", 8.5)
        with self.table(col_widths=widths, line_height=4.6, text_align=align or "LEFT",
                        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
                        first_row_as_headings=headings is not None,
                        borders_layout="HORIZONTAL_LINES", padding=1) as table:
            if headings is not None:
                table.row([printable(h) for h in headings])
            for row in rows:
                table.row([printable(v) or "—" for v in row])
        self.ln(2)
        self.set_font(FONT, "", 9.5)

    def picture(self, png: bytes, width: float) -> None:
        height = picture_height(png, width)
        ratio = height / width
        available = self.h - self.b_margin - self.get_y()
        if height > available:
            if height <= self.h - self.t_margin - self.b_margin - 25:
                self.add_page()
            else:  # taller than a page: shrink to fit
                width, height = available / ratio, available
        x = (self.w - width) / 2
        self.image(io.BytesIO(png), x=x, y=self.get_y(), w=width, h=height)
        self.set_y(self.get_y() + height + 2)


def render_pdf(s: Sitrep, *, map_png: bytes | None, chart_png: bytes | None) -> bytes:
    incident = s.incident or {}
    title = "Point de situation — " + (incident.get("name") or "Vigie")
    pdf = ReportPDF(title + (" — EXERCICE" if s.exercise else ""), s.exercise)
    pdf.add_page()
    if s.exercise:
        pdf.para(EXERCISE_BANNER, size=10, bold=True, color=RED)
        pdf.ln(1)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 10, printable("Point de situation" + (" — EXERCICE" if s.exercise
                                                             else "")),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.para(incident.get("name") or "Aucun incident actif", size=12, bold=True)
    pdf.para(period_text(s), size=10, color=GREY)

    pdf.section(1)
    pdf.grid(None, [
        ["Incident", incident.get("name") or "aucun incident actif"],
        ["Zone", incident.get("area") or "—"],
        ["Nature", "EXERCICE" if s.exercise else "situation réelle"],
        ["Période", period_text(s)],
        ["Établi le", f"{local(s.generated_at)}, par Vigie"],
    ], (30, 120))

    pdf.section(2)
    pdf.grid(["Indicateur", "Valeur"], [list(kv) for kv in key_figures(s)], (110, 40),
             ("LEFT", "RIGHT"))

    pdf.section(3)
    if s.events_hidden:
        pdf.para(HIDDEN_EVENTS.format(n=s.events_hidden), size=8.5, color=GREY)
    if s.events:
        pdf.grid(["Heure", "Type", "Événement"],
                 [[short(e.at), EVENT_KINDS.get(e.kind, e.kind), e.text] for e in s.events],
                 (26, 30, 124))
    else:
        pdf.para("Aucun événement marquant sur la période.")

    pdf.section(4, keep=picture_height(map_png, MAP_MM) + 12 if map_png else 30)
    if map_png:
        pdf.picture(map_png, MAP_MM)
    if s.top_places:
        pdf.para("Communes les plus citées : " + ", ".join(
            f"{p['place']} ({number(p['posts'])})" for p in s.top_places), size=8.5)

    pdf.section(5, keep=picture_height(chart_png, CHART_MM) + 12 if chart_png else 30)
    if chart_png:
        pdf.picture(chart_png, CHART_MM)
    if s.categories:
        pdf.grid(["Catégorie", "Publications"],
                 [[CATEGORIES.get(c["category"], c["category"]), number(c["posts"])]
                  for c in s.categories], (110, 40), ("LEFT", "RIGHT"))

    pdf.section(6)
    if s.verified:
        pdf.grid(["Fait", "Vérifié le", "Message public"],
                 [[c["title"], short(c["verdict_at"]), c["public_message"] or ""]
                  for c in s.verified], (60, 26, 94))
    else:
        pdf.para("Aucun fait vérifié sur la période.")

    pdf.section(7)
    if s.debunked:
        pdf.grid(["Rumeur", "Verdict", "Démentie le", "Publ.", "Message public"],
                 [[c["title"], VERDICTS[c["status"]], short(c["verdict_at"]),
                   number(c["posts"]), c["public_message"] or ""] for c in s.debunked],
                 (50, 18, 26, 12, 74))
    else:
        pdf.para("Aucune rumeur démentie sur la période.")
    counts = ", ".join(f"{number(n)} {CLAIM_STATUSES.get(k, k)}"
                       for k, n in sorted(s.claim_counts.items()))
    if counts:
        pdf.para(f"Affirmations suivies depuis le début : {counts}.", size=8.5, color=GREY)

    pdf.section(8)
    pdf.para("Effectifs uniquement : aucun nom ni description ne figure dans ce document.",
             size=8.5, color=GREY)
    pdf.grid(PEOPLE_HEADINGS, people_rows(s), (46, 30, 24, 30, 24, 24),
             ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))

    pdf.section(9)
    if s.roads_closed:
        pdf.grid(["Route", "Commune", "Situation", "Depuis", "Déviation"],
                 [[r["road"] or "?", r["commune"] or "", ROAD_TYPES.get(r["event_type"], ""),
                   short(r["starts_at"]), r["detour"] or "—"] for r in s.roads_closed],
                 (20, 38, 24, 26, 72))
    else:
        pdf.para("Aucune route coupée en fin de période.")
    if s.roads_reopened:
        pdf.para("Rouvertes pendant la période : " + ", ".join(
            f"{r['road']} ({r['commune']}, {local(r['ends_at'], with_date=False)})"
            for r in s.roads_reopened) + ".", size=8.5)

    pdf.section(10)
    if s.alerts:
        pdf.grid(["Alerte", "Émetteur", "Gravité", "Émise", "Jusqu'au"],
                 [[a["headline"] or a["event"], a["sender"] or "",
                   SEVERITIES.get(a["severity"], a["severity"] or "?"), short(a["sent"]),
                   short(a["expires"])] for a in s.alerts], (74, 30, 20, 26, 30))
    else:
        pdf.para("Aucune alerte officielle en cours en fin de période.")
    return bytes(pdf.output())
