"""Build the Uzbek Cyrillic (uz_Cyrl) message catalogues from the Uzbek Latin ones.

Two modes (both by default):

``project``
    ``locale/uz_Cyrl/LC_MESSAGES/django.po`` from the finished ``locale/uz`` catalogue,
    and ``locale/en`` filled with msgstr = msgid, so that it is complete.

``django``
    Django's own strings (core, admin, auth, contenttypes, sessions).  Django ships a
    ``uz`` (Latin) catalogue, incomplete and with ASCII apostrophes, and no ``uz_Cyrl``
    one.  ``texnopark/core/locale/uz`` gets every msgid of those catalogues: Django's
    translation with the apostrophes fixed (marked "from Django"), or one a person
    wrote there (kept).  ``texnopark/core/locale/uz_Cyrl`` is then transliterated from it.

Transliteration uses ``alifbo``; placeholders, HTML tags and entities, URLs, e-mail
addresses and the Latin-only words in ``PROTECTED_TERMS`` are never transliterated.
What alifbo gets wrong is corrected by the tables ``WORDS``, ``STEMS`` and ``PHRASES``
below, so a rerun keeps the corrections.

A Cyrillic entry a person wrote (or edited after the script wrote it) is kept unless
``--force``: entries the script writes carry a "# alifbo <hash>" comment with a hash of
the text it wrote; a msgstr that no longer matches its hash was edited by a person.

Usage::

    python scripts/cyrillic_catalogue.py [project|django|all] [--force]

Then compile: ``python manage.py compilemessages --ignore=.venv``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import polib
from alifbo import to_cyrillic

ROOT = Path(__file__).resolve().parent.parent
PROJECT_LOCALE = ROOT / "locale"
CORE_LOCALE = ROOT / "texnopark" / "core" / "locale"

# Latin-only words kept as written in Cyrillic text: whole words, though an all-capitals
# term may take an Uzbek suffix (API → API, JSONni → JSONни).
PROTECTED_TERMS = (
    "OpenAPI", "API", "CSRF", "R&D", "IT", "htmx", "ISO", "ID", "UZ-NG", "KR",
    "XLSX", "PDF", "QR", "Google Calendar", "Outlook", "Word", "Excel", "PowerPoint", "PNG", "JPG", "USD", "UZS",
    "MVP",
    # Django's own strings
    "Django", "Python", "URL", "JSON", "UUID", "IPv4", "IPv6", "IP", "HTML", "HTTPS", "HTTP", "LDAP", "SSO",
    "Unicode", "ManagementForm", "Referer", "Referer header", "Referrer-Policy", "no-referer", "no-referrer",
    "same-origin", "cookie", "Control", "Command", "Mac",
)

# Fragments kept in Latin because the text is about Latin letters, or shows Latin examples
# or code.
KEEP_LATIN = (
    "oʻ, gʻ, sh, ch",  # "Latin (1995): …"
    "ö, ğ, ş, ç",  # "Latin (2026): …"
    "Chortoq",  # "e.g. Chortoq, Чортоқ, Чартак": the search example in three scripts
    # Django's own strings
    "a-z", "A-Z", "DEBUG = True", "DEBUG=True", "YYYY-MM-DD HH: MM [: ss [.uuuuuu]] [TZ]", "YYYY-MM-DD",
    "HH: MM [: ss [.uuuuuu]]", "[DD] [[HH:] MM:] ss [.uuuuuu]",
)

# Whole Latin words alifbo gets wrong (case variants are derived).  Russian loanwords keep
# their soft sign in Uzbek Cyrillic when they stand alone; before a suffix it drops
# (апрель, but 1 апрелдан), which is what alifbo already does for the suffixed forms.
WORDS = {
    "yanvar": "январь",
    "fevral": "февраль",
    "aprel": "апрель",
    "iyun": "июнь",
    "iyul": "июль",
    "sentabr": "сентябрь",
    "oktabr": "октябрь",
    "noyabr": "ноябрь",
    "dekabr": "декабрь",
    "parol": "пароль",
    "profil": "профиль",
    "rol": "роль",
    "fayl": "файл",
    "model": "модель",
    "italyan": "итальян",
    "vaqtsiz": "вақтсиз",
    "muddatsiz": "муддатсиз",
    "iyn": "июн",
    "iyl": "июл",
    "slug": "слаг",
}

# Latin stems alifbo gets wrong, whatever suffix follows (the suffix is transliterated).
STEMS = {
    "obyekt": "объект",
    "filtr": "фильтр",
    "obʼekt": "объект",
    "subyekt": "субъект",
    "ssenariy": "сценарий",
    "aksiya": "акция",
    "kovorking": "коворкинг",
    "assotsiatsiya": "ассоциация",
    "innovatsion": "инновацион",
    "navigatsiya": "навигация",
    "interfeys": "интерфейс",
    "sertifikat": "сертификат",
    "litsenziya": "лицензия",
    "konsert": "концерт",
    "funksiya": "функция",
    "seksiya": "секция",
    "pozitsiya": "позиция",
    "operatsiya": "операция",
    "informatsiya": "информация",
    "kompyuter": "компьютер",
}

# Whole uz texts whose Cyrillic form is written out by hand (keyed by the Latin text, so a
# changed Latin text falls back to transliteration instead of keeping a stale override).
PHRASES: dict[str, str] = {}

# Abbreviations with their own Cyrillic spelling (legal forms), replaced as whole words.
ABBREVIATIONS = {"MChJ": "МЧЖ", "YaTT": "ЯТТ"}

_PLACEHOLDER = (
    r"%\([^)]+\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s
    r"|%[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"  # %s, %d, %%
    r"|\{[^{}\s]*\}"  # {name}, {0}, {}
)
_MARKUP = r"<[^<>]+>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"
_URL = r"(?:https?://|www\.)[^\s<>\"'«»“”]+[^\s<>\"'«»“”.,;:!?)]"
_EMAIL = r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
_CODE = r"\.?[A-Za-z][A-Za-z0-9]*_\w*(?:\(\))?|\b[a-z_]+\(\)"  # identifiers: allow_empty, get_absolute_url()


def _terms_pattern(terms: Iterable[str]) -> str:
    alternatives = []
    for term in sorted(terms, key=len, reverse=True):
        after = r"(?![A-Z0-9&])" if term.upper() == term else r"(?![\w&])"
        alternatives.append(re.escape(term) + after)
    return r"(?<![\w&])(?:" + "|".join(alternatives) + ")"


PROTECTED = re.compile(
    "|".join(
        [
            _PLACEHOLDER,
            _MARKUP,
            _URL,
            _EMAIL,
            _CODE,
            "|".join(re.escape(t) for t in sorted(KEEP_LATIN, key=len, reverse=True)),
            _terms_pattern(PROTECTED_TERMS),
        ]
    )
)
PLACEHOLDER = re.compile(_PLACEHOLDER)
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿʻʼ]")  # with the Latin apostrophes
_WORD = re.compile(r"[A-Za-zʻʼ’‘'`]+")


def split_protected(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, protected) pairs."""
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for match in PROTECTED.finditer(text):
        if match.start() > cursor:
            pieces.append((text[cursor : match.start()], False))
        pieces.append((match.group(), True))
        cursor = match.end()
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


def unprotected_latin(text: str) -> str:
    """The Latin letters (and ʻ ʼ) of a Cyrillic text outside protected pieces (empty when clean)."""
    return "".join(
        letter for piece, protected in split_protected(text) if not protected for letter in LATIN_LETTER.findall(piece)
    )


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def fix_apostrophes(text: str) -> str:
    """ASCII and typographic apostrophes to ʻ (after o, g) and ʼ (tutuq), leaving quotes alone."""
    text = re.sub(r"(?<=[oOgG])['‘’`ʼ](?=[A-Za-z])", "ʻ", text)
    return re.sub(r"(?<=[A-Za-z])['’`](?=[A-Za-z])", "ʼ", text)


def _match_case(cyrillic: str, latin: str) -> str:
    if latin.isupper() and len(latin) > 1:
        return cyrillic.upper()
    if latin[:1].isupper():
        return cyrillic[:1].upper() + cyrillic[1:]
    return cyrillic


def _exception(word: str) -> tuple[str, str] | None:
    """(Cyrillic for the matched part, Latin rest still to transliterate), or None."""
    lower = word.lower()
    if word in WORDS:
        return WORDS[word], ""
    if lower in WORDS:
        return _match_case(WORDS[lower], word), ""
    for stem in sorted(STEMS, key=len, reverse=True):
        if lower.startswith(stem):
            return _match_case(STEMS[stem], word[: len(stem)]), word[len(stem) :]
    return None


def _convert(latin: str) -> str:
    # ng_as_digraph=False: in Cyrillic "ng" is "нг" anyway, and the digraph reading breaks "ngʻ" (қоронғи).
    return to_cyrillic(latin, protect_spans=False, ng_as_digraph=False).text if latin else ""


def _transliterate_plain(text: str) -> str:
    out: list[str] = []
    pending: list[str] = []
    cursor = 0
    for match in _WORD.finditer(text):
        hit = _exception(match.group())
        if hit is None:
            continue
        pending.append(text[cursor : match.start()])
        out.append(_convert("".join(pending)))
        pending = []
        cyrillic, rest = hit
        out.append(cyrillic)
        if rest:
            # Convert the suffix with the stem's last letter in front for context, then drop it.
            context = match.group()[len(match.group()) - len(rest) - 1]
            lead, full = _convert(context), _convert(context + rest)
            out.append(full[len(lead) :] if full.startswith(lead) else _convert(rest))
        cursor = match.end()
    pending.append(text[cursor:])
    out.append(_convert("".join(pending)))
    return "".join(out)


def transliterate(text: str) -> str:
    """Uzbek Latin (1995 or 2026) to Uzbek Cyrillic, protected pieces kept as they are."""
    if text in PHRASES:
        return PHRASES[text]
    for latin, cyrillic in ABBREVIATIONS.items():
        text = re.sub(rf"\b{latin}\b", cyrillic, text)
    return "".join(piece if protected else _transliterate_plain(piece) for piece, protected in split_protected(text))


# ---------------------------------------------------------------------------------------
# Catalogue plumbing

MARK = "alifbo"


def _digest(entry: polib.POEntry) -> str:
    texts = [entry.msgstr] if not entry.msgid_plural else [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:10]


def _marker(entry: polib.POEntry) -> str | None:
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(MARK + " "):
            return line.split()[1]
    return None


def _set_marker(entry: polib.POEntry, tag: str, value: str | None) -> None:
    lines = [line for line in (entry.tcomment or "").splitlines() if not line.startswith(tag + " ") and line != tag]
    if value is not None:
        lines.append(f"{tag} {value}".rstrip())
    entry.tcomment = "\n".join(lines)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _written_by_person(entry: polib.POEntry) -> bool:
    """A translated entry without our marker, or whose text changed since we wrote it."""
    if not is_translated(entry):
        return False
    marker = _marker(entry)
    return marker is None or marker != _digest(entry)


def _clear(entry: polib.POEntry) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = {k: "" for k in entry.msgstr_plural} or {0: ""}
    else:
        entry.msgstr = ""
    _set_marker(entry, MARK, None)


def transliterate_catalogue(source: polib.POFile, target: polib.POFile, force: bool) -> dict[str, int]:
    """Fill target (uz_Cyrl) from source (uz); return counts of what happened."""
    by_key = {(e.msgctxt, e.msgid): e for e in source if not e.obsolete}
    counts = {"transliterated": 0, "kept": 0, "waiting": 0}
    for entry in target:
        if entry.obsolete:
            continue
        src = by_key.get((entry.msgctxt, entry.msgid))
        if not force and _written_by_person(entry):
            counts["kept"] += 1
            continue
        if src is None or not is_translated(src):
            _clear(entry)
            counts["waiting"] += 1
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {k: transliterate(v) for k, v in src.msgstr_plural.items()}
        else:
            entry.msgstr = transliterate(src.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        _set_marker(entry, MARK, _digest(entry))
        counts["transliterated"] += 1
    return counts


def cyrillic_metadata(po: polib.POFile, team: str) -> None:
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Language-Team": team,
            "Language": "uz_Cyrl",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )


# ---------------------------------------------------------------------------------------
# Modes


def build_project(force: bool) -> None:
    uz = polib.pofile(str(PROJECT_LOCALE / "uz" / "LC_MESSAGES" / "django.po"))
    path = PROJECT_LOCALE / "uz_Cyrl" / "LC_MESSAGES" / "django.po"
    cyrl = polib.pofile(str(path))
    counts = transliterate_catalogue(uz, cyrl, force)
    cyrillic_metadata(cyrl, "Uzbek (Cyrillic)")
    cyrl.save(str(path))
    print(f"{path.relative_to(ROOT)}: {counts}")

    path = PROJECT_LOCALE / "en" / "LC_MESSAGES" / "django.po"
    en = polib.pofile(str(path))
    filled = 0
    for entry in en:
        if entry.obsolete or (is_translated(entry) and not force):
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    en.metadata_is_fuzzy = False
    en.save(str(path))
    print(f"{path.relative_to(ROOT)}: filled {filled}")


def django_catalogue_dirs() -> list[Path]:
    """Django's catalogues that the project loads, highest priority first (as Django merges them)."""
    import django

    base = Path(django.__file__).resolve().parent
    return [base / "contrib" / app / "locale" for app in ("admin", "auth", "contenttypes", "sessions")] + [
        base / "conf" / "locale"
    ]


DJANGO_TAG = "from Django"


def django_entries() -> dict[tuple[str | None, str], tuple[polib.POEntry, polib.POEntry | None]]:
    """Every msgid Django has for those apps (the en catalogues list them all), with Django's uz entry."""
    merged: dict[tuple[str | None, str], tuple[polib.POEntry, polib.POEntry | None]] = {}
    for folder in django_catalogue_dirs():
        en_po = folder / "en" / "LC_MESSAGES" / "django.po"
        uz_po = folder / "uz" / "LC_MESSAGES" / "django.po"
        uz_entries = {}
        if uz_po.exists():
            uz_entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(uz_po)) if not e.obsolete}
        for entry in polib.pofile(str(en_po)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or not entry.msgid or key in merged:
                continue
            merged[key] = (entry, uz_entries.get(key))
    return merged


def build_django_uz() -> polib.POFile:
    """texnopark/core/locale/uz: keep what a person wrote, refresh what came from Django."""
    merged = django_entries()
    uz_path = CORE_LOCALE / "uz" / "LC_MESSAGES" / "django.po"
    old = polib.pofile(str(uz_path)) if uz_path.exists() else polib.POFile()
    project_sources = sorted({path for e in old for path, _line in e.occurrences if not path.startswith("..")})
    if project_sources:
        sys.exit(
            f"{uz_path.relative_to(ROOT)} has strings from the project's sources ({', '.join(project_sources[:3])}…):"
            " makemessages ran without --ignore=texnopark/core/locale and overwrote it. Restore it with"
            " `git checkout -- texnopark/core/locale` and extract again with that option."
        )
    old_by_key = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    uz = polib.POFile(wrapwidth=79)
    uz.header = (
        "Django's own strings in Uzbek (Latin), for the Texnopark back office.\n"
        "Built by scripts/cyrillic_catalogue.py from Django's uz catalogues (entries marked\n"
        "'from Django', apostrophes fixed); every other translation here was written by hand\n"
        "and is kept on rebuilds."
    )
    uz.metadata = {
        "Project-Id-Version": "Texnopark (Django strings)",
        "PO-Revision-Date": "2026-11-27 05:00+0500",
        "Last-Translator": "Texnopark team",
        "Language-Team": "Uzbek (Latin)",
        "Language": "uz",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    stats = {"by hand": 0, "from Django": 0, "untranslated": 0}
    for key, (en_entry, dj_entry) in merged.items():
        entry = polib.POEntry(
            msgctxt=en_entry.msgctxt,
            msgid=en_entry.msgid,
            msgid_plural=en_entry.msgid_plural,
            flags=[f for f in en_entry.flags if f != "fuzzy"],
            comment=en_entry.comment,
        )
        mine = old_by_key.get(key)
        if mine is not None and is_translated(mine) and DJANGO_TAG not in (mine.tcomment or ""):
            entry.msgstr, entry.msgstr_plural, entry.tcomment = mine.msgstr, mine.msgstr_plural, mine.tcomment
            stats["by hand"] += 1
        elif dj_entry is not None and is_translated(dj_entry):
            if en_entry.msgid_plural:
                entry.msgstr_plural = {k: fix_apostrophes(v) for k, v in dj_entry.msgstr_plural.items()}
            else:
                entry.msgstr = fix_apostrophes(dj_entry.msgstr)
            entry.tcomment = DJANGO_TAG
            stats["from Django"] += 1
        else:
            if en_entry.msgid_plural:
                entry.msgstr_plural = {0: ""}
            stats["untranslated"] += 1
        uz.append(entry)
    uz_path.parent.mkdir(parents=True, exist_ok=True)
    uz.save(str(uz_path))
    print(f"{uz_path.relative_to(ROOT)}: {stats}")
    return uz


def build_django(force: bool) -> None:
    """texnopark/core/locale/uz, then texnopark/core/locale/uz_Cyrl from it."""
    uz = build_django_uz()
    cyrl_path = CORE_LOCALE / "uz_Cyrl" / "LC_MESSAGES" / "django.po"
    old_cyrl = polib.pofile(str(cyrl_path)) if cyrl_path.exists() else polib.POFile()
    old_cyrl_by_key = {(e.msgctxt, e.msgid): e for e in old_cyrl if not e.obsolete}
    cyrl = polib.POFile(wrapwidth=79)
    cyrl.header = (
        "Django's own strings in Uzbek (Cyrillic), for the Texnopark back office.\n"
        "Transliterated from ../../uz by scripts/cyrillic_catalogue.py; entries without an\n"
        "'alifbo' comment (or edited since) were written by hand and are kept on rebuilds."
    )
    cyrl.metadata = dict(uz.metadata, **{"Project-Id-Version": "Texnopark (Django strings)"})
    for entry in uz:
        key = (entry.msgctxt, entry.msgid)
        previous = old_cyrl_by_key.get(key)
        new = polib.POEntry(
            msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural, flags=list(entry.flags),
            comment=entry.comment,
        )
        if previous is not None:
            new.msgstr, new.msgstr_plural, new.tcomment = previous.msgstr, previous.msgstr_plural, previous.tcomment
        elif entry.msgid_plural:
            new.msgstr_plural = {0: ""}
        cyrl.append(new)
    counts = transliterate_catalogue(uz, cyrl, force)
    cyrillic_metadata(cyrl, "Uzbek (Cyrillic)")
    cyrl_path.parent.mkdir(parents=True, exist_ok=True)
    cyrl.save(str(cyrl_path))
    print(f"{cyrl_path.relative_to(ROOT)}: {counts}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", choices=["project", "django", "all"], default="all")
    parser.add_argument("--force", action="store_true", help="also overwrite Cyrillic entries written by hand")
    args = parser.parse_args(argv)
    if args.mode in ("project", "all"):
        build_project(args.force)
    if args.mode in ("django", "all"):
        build_django(args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
