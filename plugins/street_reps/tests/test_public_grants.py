"""The public grants page: how to apply, and only awarded or paid grants with their group."""

from datetime import date

from core.tenancy import organisation_scope


def _grants(db_session, org):
    from core.models import Body
    from plugins.street_reps.models import Grant

    with organisation_scope(org.id):
        group = Body(name="Castlefields Residents Association", kind="residents_association")
        other = Body(name="Hidden Road Group", kind="residents_association")
        db_session.add_all([group, other])
        db_session.flush()
        common = {"applied_on": date(2026, 4, 1), "requested_pence": 50000}
        db_session.add_all(
            [
                Grant(
                    body_id=group.id,
                    grant_type="start_up",
                    purpose="Tea urn and leaflets",
                    status="paid",
                    awarded_pence=25050,
                    awarded_on=date(2026, 5, 2),
                    assessment="Private assessment words",
                    **common,
                ),
                Grant(body_id=other.id, grant_type="annual", purpose="Pending purpose", **common),
                Grant(
                    body_id=other.id,
                    grant_type="development",
                    purpose="Refused purpose",
                    status="refused",
                    **common,
                ),
            ]
        )
    db_session.commit()


def test_grants_page_shows_how_to_apply_and_what_was_awarded(client, org, db_session):
    _grants(db_session, org)
    response = client.get(f"/p/{org.slug}/street_reps/grants")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "How to apply" in html and "Development grant" in html and "after the award: 12." in html
    assert "Castlefields Residents Association" in html and "Tea urn and leaflets" in html
    assert "£250.50" in html and "2 May 2026" in html
    for hidden in ("Pending purpose", "Refused purpose", "Private assessment words", "Hidden Road Group"):
        assert hidden not in html


def test_grants_page_follows_the_settings(client, make_org):
    make_org(
        "few-grants",
        plugins={"street_reps": {"grant_types": ["annual"], "grant_monitoring_return_months": 1}},
    )
    html = client.get("/p/few-grants/street_reps/grants").get_data(as_text=True)
    assert "Annual grant" in html and "Start-up grant" not in html and "after the award: 1." in html
    assert "No grants have been awarded yet." in html


def test_grants_page_is_404_when_the_plugin_is_off_or_the_landlord_inactive(client, make_org):
    make_org("no-reps-homes")
    make_org("asleep-reps", status="suspended", plugins={"street_reps": {}})
    assert client.get("/p/no-reps-homes/street_reps/grants").status_code == 404
    assert client.get("/p/asleep-reps/street_reps/grants").status_code == 404


def test_grants_page_is_linked_from_the_landlords_home(client, org):
    assert f"/p/{org.slug}/street_reps/grants" in client.get(f"/p/{org.slug}/").get_data(as_text=True)
