"""Fonts for plots whose labels come in any script.

matplotlib draws each character with the first font of ``font.family`` that has it (matplotlib >= 3.6), so
the plots use a chain: DejaVu Sans (Latin, Greek, Cyrillic, Arabic letters; bundled with matplotlib), then
one CJK font. The CJK font is the first of these found: an installed system font (Noto Sans CJK, Source Han
Sans, IPAex, WenQuanYi, Droid Sans Fallback, and the macOS / Windows ones), else Noto Sans CJK SC from the
``mplfonts`` package, which the ``plot`` extra installs (SIL Open Font License). Without either, CJK
characters would print as empty boxes: :func:`font_chain` then warns once and says what to install.

matplotlib lays text out left to right without joining letters, so Arabic and Hebrew labels go through
:func:`display_text` (``arabic-reshaper`` + ``python-bidi``, also in the extra) before they are drawn.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

__all__ = ["cjk_font_file", "display_text", "font_chain", "subset_font_css"]

_CJK_FAMILIES = (
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Source Han Sans SC",
    "Source Han Sans JP",
    "Noto Sans JP",
    "Noto Sans SC",
    "IPAexGothic",
    "IPAGothic",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Hiragino Sans",
    "PingFang SC",
    "Yu Gothic",
    "Microsoft YaHei",
    "Arial Unicode MS",
)
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@functools.lru_cache(maxsize=1)
def font_chain() -> tuple[str, ...]:
    """The ``font.family`` list the plots use: DejaVu Sans, then a CJK font if one can be found."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return ("DejaVu Sans", family)
    bundled = _mplfonts_file()
    if bundled is not None:
        font_manager.fontManager.addfont(str(bundled))
        return ("DejaVu Sans", font_manager.FontProperties(fname=str(bundled)).get_name())
    warnings.warn(
        "no font with Chinese/Japanese characters was found, so CJK labels will show as boxes: "
        'pip install "cxsentiment[plot]" (it brings Noto Sans CJK through mplfonts) or install a system font '
        "such as fonts-noto-cjk",
        RuntimeWarning,
        stacklevel=2,
    )
    return ("DejaVu Sans",)


def cjk_font_file() -> Path | None:
    """The file of the CJK font :func:`font_chain` picked (``None`` without one)."""
    from matplotlib import font_manager

    chain = font_chain()
    if len(chain) < 2:
        return None
    path = font_manager.findfont(font_manager.FontProperties(family=chain[1]), fallback_to_default=False)
    return Path(path)


_CJK_CHARS = re.compile(
    r"[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


def subset_font_css(text: str, family: str = "cx-cjk") -> str:
    """An ``@font-face`` rule embedding the CJK font cut down to the CJK characters of ``text`` (a few
    hundred kB at most), so an HTML page shows them even where no CJK font is installed. ``""`` when the
    text has none or no CJK font is available."""
    chars = sorted(set(_CJK_CHARS.findall(text)))
    path = cjk_font_file() if chars else None
    if not chars or path is None:
        return ""
    import base64
    import io

    from fontTools import subset

    options = subset.Options()
    options.flavor = None
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options, lazy=True)  # lazy: the file stays open until close()
    try:
        sub = subset.Subsetter(options)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        fmt = "opentype" if font.sfntVersion == "OTTO" else "truetype"
    finally:
        font.close()
    ranges = ",".join(f"U+{ord(c):04X}" for c in chars)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f"@font-face{{font-family:'{family}';src:url(data:font/{'otf' if fmt == 'opentype' else 'ttf'};base64,"
        f"{data}) format('{fmt}');unicode-range:{ranges}}}"
    )


def _mplfonts_file() -> Path | None:
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


def display_text(text: str) -> str:
    """``text`` as matplotlib must be given it to show right-to-left scripts correctly: Arabic letters
    joined (presentation forms) and the whole label in visual order. Other text is returned unchanged.

    >>> display_text("Delivery")
    'Delivery'
    """
    if not _RTL.search(text):
        return text
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:
        return text
    return str(get_display(arabic_reshaper.reshape(text)))
