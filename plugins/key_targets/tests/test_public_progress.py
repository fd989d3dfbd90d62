"""The public key-targets page: every phase's targets and their status, never who is responsible
or the officers' progress notes; 404 when the plugin is off or the landlord inactive."""

from plugins.key_targets.tests.conftest import created


def test_progress_page_shows_targets_and_their_status(client, org, api, url, phase, make_target):
    make_target(
        reference="2",
        action="Hold the annual conference",
        responsibility=["Jane Officer, Involvement Manager"],
        outcome="Residents review the strategy.",
        progress="Venue booked with private notes.",
        deadlines=["2099-12-01"],
    )
    done = make_target(reference="10", action="Publish a residents' newsletter", deadlines=["2006-12-01"])
    created(api.post(url(f"targets/{done['id']}/progress"), json={"note": "Sent.", "status": "done"}))
    make_target(reference="3", action="Recruit tenant inspectors", deadlines=["2006-06-01"])
    response = client.get(f"/p/{org.slug}/key_targets/progress")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Year 1" in html and "Targets: 3." in html
    assert html.index("Target 2") < html.index("Target 3") < html.index("Target 10")
    assert "Hold the annual conference" in html and "Residents review the strategy." in html
    assert "Next deadline 1 December 2099" in html
    assert "Behind its deadline" in html  # target 3's deadline has passed, unmet
    assert "Done" in html and "Completed on" in html
    assert "Jane Officer" not in html and "private notes" not in html


def test_progress_page_without_a_plan(client, org):
    html = client.get(f"/p/{org.slug}/key_targets/progress").get_data(as_text=True)
    assert "We have not published any targets yet." in html


def test_progress_page_is_404_when_the_plugin_is_off_or_the_landlord_inactive(client, make_org):
    make_org("no-targets-homes")
    make_org("asleep-targets", status="suspended", plugins={"key_targets": {}})
    assert client.get("/p/no-targets-homes/key_targets/progress").status_code == 404
    assert client.get("/p/asleep-targets/key_targets/progress").status_code == 404


def test_progress_page_is_linked_from_the_landlords_home(client, org):
    assert f"/p/{org.slug}/key_targets/progress" in client.get(f"/p/{org.slug}/").get_data(as_text=True)
