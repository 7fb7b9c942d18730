"""Fonts for the bulletin's charts (dashboards.charts): the first CJK family installed.

Chinese labels need a CJK font: the first installed family of `CJK_FAMILIES` (Debian's
fonts-noto-cjk gives "Noto Sans CJK SC"), found through fontconfig's `fc-match` or, without it,
by opening the font files in the usual folders. Without one the charts are still drawn in
Pillow's own font, with a logged warning, and Chinese characters show as empty boxes. Nothing
is ever downloaded.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess  # noqa: S404 - asks fontconfig where a font is # nosec B404

from PIL import ImageFont

logger = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
# Where fonts are installed when fontconfig is not there to say (Windows, macOS, minimal images).
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
    "%LOCALAPPDATA%/Microsoft/Windows/Fonts",
)
FONT_SUFFIXES = (".ttc", ".otf", ".ttf", ".otc")
FC_MATCH_TIMEOUT = 5  # seconds; fontconfig answers in milliseconds once its cache is built
# Charts are drawn at the size they are printed (15.5 cm wide in the bulletin) at 150 dpi:
# fonts print at their point size and no pixel is drawn only to be scaled away.
DPI = 150


@functools.cache
def cjk_family() -> str | None:
    """The first installed font family of `CJK_FAMILIES`, or None (with a warning)."""
    for family in CJK_FAMILIES:
        if _face(family, "regular"):
            return family
    logger.warning(
        "No CJK font found (tried %s): chart labels in Chinese will not show. "
        "Install one, e.g. Debian's fonts-noto-cjk.",
        ", ".join(CJK_FAMILIES),
    )
    return None


@functools.cache
def _face(family: str, weight: str) -> tuple[str, int] | None:
    """The file and the face index in it of `family` at `weight` ("regular" or "bold"); a
    family without a bold face gives its regular one. A .ttc file holds several faces (Noto's
    holds the Japanese, Korean, Simplified and Traditional Chinese ones), hence the index."""
    if fc_match := shutil.which("fc-match"):
        return _fc_match(fc_match, family, weight)
    faces = _scanned_faces()
    wanted = ("Bold", "Regular") if weight == "bold" else ("Regular",)
    for style in wanted:
        if face := faces.get((family, style)):
            return face
    # A family in a single style (a variable font, a lone "Medium") is better than none.
    return next((face for (name, _), face in faces.items() if name == family), None)


def _fc_match(fc_match: str, family: str, weight: str) -> tuple[str, int] | None:
    """fontconfig's best face for the family, if it is that family: fc-match always answers,
    with a fallback font (DejaVu Sans) when the family is not installed."""
    try:
        answer = subprocess.run(  # noqa: S603 - an absolute path and a fixed format # nosec B603
            [fc_match, "--format=%{family}|%{index}|%{file}", f"{family}:weight={weight}"],
            capture_output=True,
            text=True,
            timeout=FC_MATCH_TIMEOUT,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names, _, rest = answer.partition("|")
    index, _, path = rest.partition("|")
    if family not in names.split(",") or not index.isdigit() or not os.path.isfile(path):
        return None
    return path, int(index)


@functools.cache
def _scanned_faces() -> dict[tuple[str, str], tuple[str, int]]:
    """(family, style) → (file, face index) of every font in `FONT_DIRS`, read from the
    files themselves: done once, and only where fontconfig is missing."""
    faces: dict[tuple[str, str], tuple[str, int]] = {}
    for folder in FONT_DIRS:
        for root, _dirs, files in os.walk(os.path.expandvars(os.path.expanduser(folder))):
            for name in sorted(files):
                if name.lower().endswith(FONT_SUFFIXES):
                    path = os.path.join(root, name)
                    for index, names in enumerate(_face_names(path)):
                        faces.setdefault(names, (path, index))
    return faces


def _face_names(path: str) -> list[tuple[str, str]]:
    names = []
    while True:  # a .ttc says how many faces it holds only by failing past the last one
        try:
            family, style = ImageFont.truetype(path, 10, index=len(names)).getname()
        except (OSError, ValueError):
            return names
        names.append((family or "", style or ""))


def font(points: float, weight: str = "regular") -> ImageFont.FreeTypeFont:
    return _font_of(cjk_family(), points, weight)


@functools.cache
def _font_of(family: str | None, points: float, weight: str) -> ImageFont.FreeTypeFont:
    """Loaded once per family, size and weight, and shared by threads: Pillow draws with the
    font locked. Basic layout: Chinese and digits need no shaping, and it is the same whether
    or not Pillow was built with libraqm."""
    pixels = points * DPI / 72
    face = _face(family, weight) if family else None
    if face is None:
        return ImageFont.load_default(size=pixels)
    path, index = face
    return ImageFont.truetype(path, pixels, index=index, layout_engine=ImageFont.Layout.BASIC)
