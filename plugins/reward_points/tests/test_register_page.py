"""Points for attendance recorded on the staff attendance register, as through the API: the page
calls the same participation services, so the scheme's hook awards and reverses points."""

from core.testing import csrf_token_from
from plugins.reward_points.tests.conftest import World, settings


def test_the_register_awards_and_reverses_points(
    make_org, make_user, api_client, login_as, client, db_session
):
    org = make_org("mayflower-register", plugins={"reward_points": settings()})
    officer = make_user(org, "org_admin")
    world = World(org, api_client(officer), db_session)
    member = world.member()
    meeting = world.meeting()
    login_as(officer)
    path = f"/o/{org.slug}/activities/{meeting}/attendance"
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    added = client.post(
        f"{path}/add", data={"add-csrf_token": token, "add-participant_id": str(member["participant_id"])}
    )
    assert added.status_code == 303
    assert world.balance(member) == 50
    unticked = client.post(path, data={"csrf_token": token})
    assert unticked.status_code == 303
    assert world.balance(member) == 0
    ticked = client.post(path, data={"csrf_token": token, f"attended_{member['participant_id']}": "y"})
    assert ticked.status_code == 303
    assert world.balance(member) == 50
