"""Uzbek in every script: Cyrillic, the 1995 Latin and the 2026 Latin.

Content is stored as entered; it is shown in the reader's script, and searched
through a key that is the same for every script and apostrophe variant.
"""

import re
from functools import lru_cache

import alifbo

CYRILLIC = "cyrl"
LATIN = "latn"  # the 1995 alphabet: oʻ, gʻ, sh, ch
LATIN_2026 = "latn2026"  # ö, ğ, ş, ç
SCRIPTS = (CYRILLIC, LATIN, LATIN_2026)
# Written in Latin letters in Cyrillic Uzbek text too (whole words only: ITTKI is Uzbek, ИТТКИ).
LATIN_TERMS = re.compile(r"(?<![\w&])(?:IT|ISO|R&D|IoT|AI)(?![\w&])")


@lru_cache(maxsize=8192)
def to_script(text: str, script: str) -> str:
    if not text:
        return text
    source = alifbo.detect_alphabet(text).alphabet
    if script == CYRILLIC:
        return text if source == "cyrillic" else _to_cyrillic(text)
    new_latin = alifbo.from_cyrillic(text).text if source in ("cyrillic", "mixed") else alifbo.to_new_latin(text).text
    if script == LATIN_2026:
        return new_latin
    return alifbo.to_old_latin(new_latin).text


def _to_cyrillic(text: str) -> str:
    pieces, start = [], 0
    for term in LATIN_TERMS.finditer(text):
        pieces += [alifbo.to_cyrillic(text[start:term.start()]).text, term.group()]
        start = term.end()
    pieces.append(alifbo.to_cyrillic(text[start:]).text)
    return "".join(pieces)


def search_key(text: str) -> str:
    # alifbo folds every apostrophe but the backtick, which keyboards without ʻ produce too.
    return alifbo.fold_search_key((text or "").replace("`", "'"))
