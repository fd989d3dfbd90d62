"""The Welsh catalogue of the residents' site: compiled from its .po (a forgotten compile would show
stale Welsh), extracted strings all present, and staff pages untouched by a resident's choice."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "core" / "translations"


def _translated(catalog) -> dict:
    # A plural's id and forms come back as tuples from the .po and as lists from the .mo.
    def same(value):
        return value if isinstance(value, str) else tuple(value)

    return {same(m.id): same(m.string) for m in catalog if m.id and m.string}


def test_the_compiled_welsh_matches_its_po_file():
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        po = read_po(handle, locale="cy")
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        mo = read_mo(handle)
    assert _translated(po) == _translated(mo)
    assert len(_translated(po)) >= 50


def test_every_template_string_is_in_the_catalogue_template():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        pot = {m.id for m in read_po(handle) if m.id}
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        po = {m.id for m in read_po(handle, locale="cy") if m.id}
    assert pot == po
    for expected in ("Have your say", "You said, we did", "Get involved", "Skip to main content"):
        assert expected in pot


def test_a_residents_language_choice_does_not_change_staff_pages(client, make_org, make_user, login_as):
    org = make_org("bilingual-homes")
    login_as(make_user(org, "staff"))
    assert "Dewislen" in client.get("/p/bilingual-homes/?lang=cy").get_data(as_text=True)
    html = client.get("/o/bilingual-homes/").get_data(as_text=True)
    assert 'lang="en-GB"' in html and "Today" in html and "Dewislen" not in html


# -- every resident-facing string has its Welsh -------------------------------------------------


def _extracted_now() -> set[str]:
    """The strings babel.cfg finds in the sources today (what ``pybabel extract`` would write)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = TRANSLATIONS.parent.parent
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords={"_": None, "gettext": None, "N_": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_marked_on_a_residents_page_is_in_welsh():
    """A string marked on a residents' page (core's or a plugin's) and not yet extracted, or
    extracted and not yet translated, fails here: run the extraction and translate it."""
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        welsh = _translated(read_po(handle, locale="cy"))
    missing = sorted(_extracted_now() - set(welsh))
    assert missing == [], f"marked for translation but without Welsh: {missing}"


def test_the_welsh_check_finds_nothing_to_fix():
    """No message untranslated or fuzzy, and the placeholders (%(name)s) of each translation are
    the English one's (scripts/welsh_strings.py, which compiles the catalogue)."""
    import importlib.util

    script = TRANSLATIONS.parent.parent / "scripts" / "welsh_strings.py"
    spec = importlib.util.spec_from_file_location("welsh_strings", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.problems(module.load()) == []
    assert module.placeholders("Closes on %(date)s, {0}") == ["%(date)s", "{0}"]


def test_the_welsh_catalogue_compiles_without_errors(tmp_path):
    """``pybabel compile --statistics`` (Babel's own checks of placeholders and plural forms)."""
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "compile",
            "--statistics",
            "-i",
            str(TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"),
            "-o",
            str(tmp_path / "messages.mo"),
            "-l",
            "cy",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower()
    assert "(100%) translated" in done.stderr + done.stdout
    assert (tmp_path / "messages.mo").stat().st_size > 0
