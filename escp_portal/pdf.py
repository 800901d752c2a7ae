"""What every PDF of the portal shares: DejaVu Sans, vendored with the project, so that names in
any European alphabet print (the PDF core fonts know Latin-1 only: ł, Č or ź came out as black
boxes), and reportlab's sample styles set in it."""

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts" / "dejavu-2.37"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    """Register the vendored TTFs with reportlab once per process; ``<b>`` in a paragraph
    picks the bold face through the family."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)


def styles():
    """reportlab's sample style sheet in DejaVu Sans (bold where the sample is bold)."""
    from reportlab.lib.styles import getSampleStyleSheet

    register_fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        bold = "Bold" in getattr(style, "fontName", "")
        style.fontName = FONT_BOLD if bold else FONT
    return sheet
