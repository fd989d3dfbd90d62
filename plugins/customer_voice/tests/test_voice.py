"""Feedback items, their all-or-nothing CSV import and the forums' voice packs (JSON, CSV, HTML)."""

from sqlalchemy import func, select

from core.tenancy import organisation_scope
from plugins.customer_voice.models import FeedbackItem
from plugins.customer_voice.tests.conftest import forum_for


def _feedback(world, **values):
    body = {
        "channel": "complaint",
        "received_on": "2025-07-10",
        "service_area": "repairs",
        "sentiment": "negative",
        "area_id": world.north,
        **values,
    }
    return world.api.post(f"{world.base}/feedback", json=body)


def test_rule_feedback_channel_must_be_a_listening_channel_of_the_organisation(world, make_org, db_session):
    from plugins.customer_voice.tests.conftest import enable

    assert _feedback(world).status_code == 201
    enable(world.org, {"listening_channels": ["survey"]})  # no change while enabled: settings only
    assert _feedback(world, channel="carrier_pigeon").status_code == 422


def test_rule_feedback_area_is_a_management_area(world):
    response = _feedback(world, area_id=world.estate)
    assert response.status_code == 422
    assert "area_id" in response.get_json()["error"]["fields"]


def test_rule_feedback_import_is_all_or_nothing_naming_row_and_column(world, db_session):
    csv_text = (
        "reference,channel,received_on,service_area,area,sentiment,summary\n"
        "F1,survey,2025-07-01,repairs,North,positive,Quick fix\n"
        "F2,fax,2025-07-02,repairs,North,negative,\n"
        "F3,complaint,02/07/2025,lettings,Nowhere,negative,\n"
        "F4,complaint,not a date,lettings,South,meh,\n"
    )
    response = world.api.post(f"{world.base}/feedback/import", data=csv_text, content_type="text/csv")
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"row 3.channel", "row 4.area", "row 5.received_on", "row 5.sentiment"} <= set(fields)
    with organisation_scope(world.org.id):
        assert db_session.scalar(select(func.count(FeedbackItem.id))) == 0
    good = (
        "\n".join(csv_text.splitlines()[:2])
        + "\nF5,Social media,2025-07-03,Anti-social behaviour,South,neutral,\n"
    )
    imported = world.api.post(f"{world.base}/feedback/import", data=good, content_type="text/csv")
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json() == {"created": 2}
    again = world.api.post(f"{world.base}/feedback/import", data=good, content_type="text/csv")
    assert again.status_code == 422 and "row 2.reference" in again.get_json()["error"]["fields"]


def test_voice_pack_disaggregates_and_compares_with_the_previous_period(world, client, login_as):
    for day, channel, service, sentiment in [
        ("2025-07-01", "complaint", "repairs", "negative"),
        ("2025-07-15", "complaint", "repairs", "negative"),
        ("2025-08-01", "compliment", "estate_services", "positive"),
        ("2025-05-01", "complaint", "repairs", "negative"),
        ("2025-05-02", "survey", "repairs", "neutral"),
    ]:
        assert (
            _feedback(
                world, received_on=day, channel=channel, service_area=service, sentiment=sentiment
            ).status_code
            == 201
        )
    _feedback(world, received_on="2025-07-20", area_id=world.south)  # another forum's area
    forum = forum_for(world, world.north)
    pack = world.api.get(f"{world.base}/forums/{forum['id']}/voice-pack?period=2025-26-Q2").get_json()
    assert pack["period"] == "2025-26-Q2" and pack["previous_period"] == "2025-26-Q1"
    assert (pack["total"], pack["previous_total"]) == (3, 2)
    channels = {row["value"]: row for row in pack["by_channel"]}
    assert channels["complaint"]["this_period"] == 2 and channels["complaint"]["previous_period"] == 1
    assert channels["complaint"]["trend"] == "up"
    assert channels["survey"]["change"] == -1
    assert pack["net_sentiment"] == round((1 - 2) * 100 / 3, 1)
    csv_text = world.api.get(f"{world.base}/forums/{forum['id']}/voice-pack.csv?period=2025-26-Q2")
    assert csv_text.mimetype == "text/csv"
    assert (
        "North Community Engagement Forum,2025-26-Q2,2025-26-Q1,channel,complaint,2,1,1"
        in csv_text.get_data(as_text=True)
    )
    bad = world.api.get(f"{world.base}/forums/{forum['id']}/voice-pack?period=2025")
    assert bad.status_code == 422 and "period" in bad.get_json()["error"]["fields"]
    login_as(world.admin)
    page = client.get(
        f"/o/{world.org.slug}/plugins/customer_voice/forums/{forum['id']}/voice-pack?period=2025-26-Q2"
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<caption" in html and "By listening channel" in html
    overview = client.get(f"/o/{world.org.slug}/plugins/customer_voice/")
    assert overview.status_code == 200 and "North Community Engagement Forum" in overview.get_data(
        as_text=True
    )
