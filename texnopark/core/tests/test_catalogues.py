"""The message catalogues: complete for uz, uz-cyrl, ru and en, Korean on the public pages.

Checks the committed catalogues (no gettext needed): nothing untranslated or fuzzy, the
compiled .mo files up to date with their .po, placeholders kept, Uzbek Cyrillic free of
Latin letters, and Django's own strings (admin, auth, validation) in Uzbek Cyrillic.
Where gettext is installed, the sources are also extracted afresh into a copy of the
project, so a string added to the code without a translation fails here too.

Fix a failure with the commands of the Makefile's `messages` target: extract, translate
(uz, ru, ko by hand in locale/*/LC_MESSAGES/django.po; uz_Cyrl and en by
scripts/cyrillic_catalogue.py), compile.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
PROJECT = ROOT / "locale"
CORE = ROOT / "texnopark" / "core" / "locale"  # Django's own strings in uz and uz_Cyrl
COMPLETE = ["uz", "uz_Cyrl", "ru", "en"]
# Korean needs only what a visitor reads on the public pages.
PUBLIC_SOURCES = ("texnopark/network/templates/", "templates/base.html")
CATALOGUES = [PROJECT / loc for loc in [*COMPLETE, "ko"]] + [CORE / "uz", CORE / "uz_Cyrl"]
CATALOGUE_IDS = [str(c.relative_to(ROOT)) for c in CATALOGUES]


def _load_script():
    path = ROOT / "scripts" / "cyrillic_catalogue.py"
    spec = importlib.util.spec_from_file_location("cyrillic_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = _load_script()


def po(folder: Path) -> polib.POFile:
    return polib.pofile(str(folder / "LC_MESSAGES" / "django.po"))


def forms(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def missing(catalogue: polib.POFile, wanted=lambda entry: True) -> list[str]:
    return [e.msgid for e in catalogue if not e.obsolete and wanted(e) and not script.is_translated(e)]


def is_public(entry) -> bool:
    return any(path.startswith(PUBLIC_SOURCES) for path, _line in entry.occurrences)


# --- Complete and not fuzzy ---------------------------------------------------------------


@pytest.mark.parametrize("locale", COMPLETE)
def test_every_message_is_translated(locale):
    catalogue = po(PROJECT / locale)
    assert len(catalogue) > 100
    untranslated = missing(catalogue)
    assert untranslated == [], f"{locale}: untranslated or fuzzy: {untranslated}"


def test_korean_covers_the_public_pages():
    catalogue = po(PROJECT / "ko")
    public = [e for e in catalogue if is_public(e)]
    assert len(public) > 50
    untranslated = missing(catalogue, is_public)
    assert untranslated == [], f"ko: public-page messages untranslated or fuzzy: {untranslated}"


def test_django_strings_have_a_cyrillic_twin():
    """Every Django string translated in Uzbek Latin is also in Uzbek Cyrillic."""
    cyrillic = {(e.msgctxt, e.msgid): e for e in po(CORE / "uz_Cyrl")}
    latin = po(CORE / "uz")
    assert len(latin) > 300
    lacking = [
        e.msgid for e in latin
        if script.is_translated(e) and not script.is_translated(cyrillic.get((e.msgctxt, e.msgid), polib.POEntry()))
    ]
    assert lacking == [], f"run scripts/cyrillic_catalogue.py django: {lacking}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The committed catalogues merged with strings extracted afresh from the sources."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("gettext is not installed: fresh extraction not checked")
    copy = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "tests")
    for name in ("config", "texnopark", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    locales = [f"-l{locale}" for locale in [*COMPLETE, "ko"]]
    # texnopark/core/locale holds Django's strings: without --ignore, makemessages would treat it
    # as texnopark.core's own catalogue and move that app's strings into it.
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *locales, "--no-obsolete", "--ignore=texnopark/core/locale"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return copy / "locale"


@pytest.mark.parametrize("locale", [*COMPLETE, "ko"])
def test_no_string_in_the_sources_lacks_a_translation(extracted, locale):
    wanted = is_public if locale == "ko" else (lambda entry: True)
    untranslated = missing(po(extracted / locale), wanted)
    assert untranslated == [], f"{locale}: new or changed strings not translated (run `make messages`): {untranslated}"


# --- Compiled catalogues ------------------------------------------------------------------


def _key(entry):
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


@pytest.mark.parametrize("folder", CATALOGUES, ids=CATALOGUE_IDS)
def test_the_compiled_catalogue_matches_its_source(folder):
    mo_path = folder / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run compilemessages"
    source = {_key(e): forms(e) for e in po(folder) if script.is_translated(e)}
    compiled = {_key(e): forms(e) for e in polib.mofile(str(mo_path)) if e.msgid}
    stale = sorted(k[1] for k in source.keys() ^ compiled.keys() | {k for k in source if compiled.get(k) != source[k]})
    assert stale == [], f"{mo_path.relative_to(ROOT)} is out of date (run compilemessages): {stale}"


# --- Placeholders and scripts -------------------------------------------------------------


@pytest.mark.parametrize("folder", CATALOGUES, ids=CATALOGUE_IDS)
def test_placeholders_survive_translation(folder):
    wrong = []
    for entry in po(folder):
        if not script.is_translated(entry):
            continue
        allowed = [script.placeholders(entry.msgid)]
        if entry.msgid_plural:
            allowed.append(script.placeholders(entry.msgid_plural))
        wrong += [(entry.msgid, text) for text in forms(entry) if script.placeholders(text) not in allowed]
    assert wrong == [], f"{folder.name}: placeholders differ from the msgid: {wrong}"


@pytest.mark.parametrize("folder", [PROJECT / "uz_Cyrl", CORE / "uz_Cyrl"], ids=lambda f: str(f.relative_to(ROOT)))
def test_uzbek_cyrillic_has_no_latin_letters(folder):
    latin = [
        (text, script.unprotected_latin(text))
        for entry in po(folder) if script.is_translated(entry)
        for text in forms(entry) if script.unprotected_latin(text)
    ]
    assert latin == [], (
        "Latin letters outside placeholders and protected words (correct them in "
        f"scripts/cyrillic_catalogue.py: WORDS, STEMS, PHRASES or PROTECTED_TERMS): {latin}"
    )


@pytest.mark.parametrize("folder", [PROJECT / "uz", CORE / "uz"], ids=lambda f: str(f.relative_to(ROOT)))
def test_uzbek_latin_uses_the_right_apostrophes(folder):
    wrong = re.compile(r"[oOgG]['‘’`ʼ]|(?<![oOgG])ʻ|[A-Za-z]['‘’`][A-Za-z]")
    bad = [
        text for entry in po(folder) if script.is_translated(entry)
        for text in forms(entry) if wrong.search(text)
    ]
    assert bad == [], f"use ʻ (U+02BB) in oʻ/gʻ and ʼ (U+02BC) for the tutuq belgisi: {bad}"


# --- At run time --------------------------------------------------------------------------

PROJECT_STRINGS = ["Technoparks", "Sign in", "Districts", "Facilities", "Save"]
DJANGO_STRINGS = ["Log in", "Log out", "Save", "Yes", "Delete", "Site administration", "This field is required."]
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "ko"])
def test_the_interface_and_the_back_office_speak_each_language(language):
    with translation.override(language):
        shown = {text: translation.gettext(text) for text in PROJECT_STRINGS + DJANGO_STRINGS}
    untranslated = [text for text, result in shown.items() if result == text]
    assert untranslated == [], f"{language}: not translated at run time: {untranslated}"
    if language == "uz-cyrl":
        latin = {text: result for text, result in shown.items() if script.unprotected_latin(result)}
        assert latin == {}, (
            "uz-cyrl shows Latin: Django's uz (Latin) catalogues, loaded as the fallback for uz_Cyrl, win over "
            f"texnopark/core/locale unless that folder is in settings.LOCALE_PATHS (after BASE_DIR / 'locale'): {latin}"
        )
    if language == "uz":
        assert not any(CYRILLIC.search(result) for result in shown.values()), shown
