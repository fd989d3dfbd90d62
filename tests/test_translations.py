"""The Welsh catalogue of the residents' site: compiled from its .po (a forgotten compile would show
stale Welsh), extracted strings all present, and staff pages untouched by a resident's choice."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "core" / "translations"


def _translated(catalog) -> dict:
    return {m.id: m.string for m in catalog if m.id and m.string}


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
