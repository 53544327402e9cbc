"""Code and digit spellings folded to their canonical form: shared by the collectors (what
departments write) and the portal (what people type into the search box)."""

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def halfwidth(value: str) -> str:
    """Full-width digits, letters and brackets to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", value) if not value.isascii() else value


@lru_cache(maxsize=1024)
def compact_code(value: str) -> str:
    """Codes as written: spaces, hyphens, lower case and full-width characters folded."""
    return re.sub(r"[\s\-_.]", "", halfwidth(value)).upper()
