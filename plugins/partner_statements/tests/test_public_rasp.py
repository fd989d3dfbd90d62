"""The public RASP page: the group's panel counted by partner, a partner's own nominees, never a
name; 404 for a landlord outside a group, a disabled plugin or an inactive organisation."""

from plugins.partner_statements.tests.test_rasp_and_oversight import nominate
from plugins.partner_statements.tests.test_rasp_and_oversight import resident as resident  # noqa: F401 (fixture)


def test_group_page_counts_panel_members_by_partner(
    client, group, partner, other_partner, partner_api, resident
):
    assert nominate(partner_api, partner, resident, display_name="Amira O.").status_code == 201
    response = client.get(f"/p/{group.slug}/partner_statements/rasp")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Resident and Service User Panel (RASP)" in html
    assert "Residents on the panel: 1." in html
    assert "North Homes" in html and "South Homes" in html and "Residents on the panel: 0" in html
    assert f"/p/{partner.slug}/" in html
    assert "Amira" not in html and "Okafor" not in html


def test_partner_page_counts_its_nominees_and_links_the_group(client, group, partner, partner_api, resident):
    nominate(partner_api, partner, resident)
    html = client.get(f"/p/{partner.slug}/partner_statements/rasp").get_data(as_text=True)
    assert "Residents we have nominated to the panel: 1." in html
    assert f"/p/{group.slug}/partner_statements/rasp" in html and "Anglia Group" in html
    assert "Amira" not in html and "Okafor" not in html


def test_rasp_page_is_404_outside_a_group_when_off_or_inactive(client, make_org, group):
    make_org("lone-homes", plugins={"partner_statements": {}})
    make_org("off-homes", parent=group)
    make_org("asleep-partner", parent=group, status="suspended", plugins={"partner_statements": {}})
    for slug in ("lone-homes", "off-homes", "asleep-partner"):
        assert client.get(f"/p/{slug}/partner_statements/rasp").status_code == 404, slug


def test_rasp_page_is_linked_from_the_groups_home(client, group):
    assert f"/p/{group.slug}/partner_statements/rasp" in client.get(f"/p/{group.slug}/").get_data(
        as_text=True
    )
