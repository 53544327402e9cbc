"""Make the credit report's vendored CJK font (disclosure/fonts/) from WenQuanYi Micro Hei.

Usage: python scripts/subset_report_font.py SOURCE.ttc [OUTPUT.ttf]

SOURCE is WenQuanYi Micro Hei 0.2.0-beta (Apache-2.0; the Debian package fonts-wqy-microhei ships
it as a .ttc). The full font (5 MB, both of its faces, hinting) is more than a report needs; the
subset keeps its TrueType outlines (embedded as /FontFile2: every reader shows the same glyphs)
for:

- ASCII and the Latin-1 punctuation a report prints (·, ×, °, …);
- the CJK Unified Ideographs block U+4E00–U+9FA5: GB2312 levels 1 and 2 and the rest of GBK's
  hanzi, because legal names use characters outside GB2312 (赟, 喆, 堃, 琍 …), and a name printed
  as a box on a credit report is worse than 1.8 MB more in the repository;
- general punctuation, CJK symbols and punctuation, and the full-width forms.

Needs fontTools (`pip install fonttools`), only to run this script: the product reads the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

OUTPUT = Path(__file__).resolve().parent.parent / "disclosure" / "fonts" / "WenQuanYiMicroHei-Report.ttf"
RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: · × ÷ ° ±
    (0x2000, 0x206F),  # general punctuation: — – … ‘ ’ “ ” • ‰
    (0x2100, 0x218F),  # letterlike symbols and number forms: № ℃ Ⅰ Ⅱ
    (0x2460, 0x24FF),  # enclosed numbers: ① ②
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ▲ ○ ●
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〔〕《》【】
    (0x4E00, 0x9FA5),  # CJK unified ideographs (GBK's hanzi)
    (0xFF00, 0xFFEF),  # full-width forms: （），；：？！％＊
)


def wanted(font: TTFont) -> list[int]:
    cmap = font.getBestCmap()
    return [code for first, last in RANGES for code in range(first, last + 1) if code in cmap]


def main(source: str, output: str | None = None) -> None:
    font = TTCollection(source).fonts[0] if source.lower().endswith(".ttc") else TTFont(source)
    codes = wanted(font)
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    target = Path(output) if output else OUTPUT
    font.save(target)
    print(f"{target}: {len(codes)} characters, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
