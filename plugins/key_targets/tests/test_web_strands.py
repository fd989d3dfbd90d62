"""The levels-of-involvement pages: the strands, one strand with the opportunities and bodies that
count towards it, link one more and remove one; refusals in the API's words; a viewer sees no
controls and is refused before input."""

from core.testing import csrf_token_from
from plugins.key_targets.services.strands import NO_LINKS_GIVEN
from plugins.key_targets.tests.conftest import created


def _base(org) -> str:
    return f"/o/{org.slug}/plugins/key_targets"


def _strand(api, url, key="board") -> dict:
    return next(s for s in api.get(url("strands")).get_json()["items"] if s["key"] == key)


def test_an_officer_links_a_body_and_an_opportunity_to_a_strand_and_removes_one(
    org, staff, client, login_as, api, url, core_url
):
    board = created(api.post(core_url("bodies"), json={"name": "GCH Board", "kind": "board"}))
    forum_body = {"name": "Customer Forum", "level": "involved", "formal": True}
    forum = created(api.post(core_url("opportunities"), json=forum_body))
    strand = _strand(api, url)
    login_as(staff)
    listed = client.get(f"{_base(org)}/strands")
    assert listed.status_code == 200
    assert "Customer Forum" in listed.get_data(as_text=True) and "2 strands" in listed.get_data(as_text=True)
    detail = f"{_base(org)}/strands/{strand['id']}"
    page = client.get(detail).get_data(as_text=True)
    assert "Tenant directors set policy." in page and "None linked." in page
    response = client.post(
        detail + "/links", data={"csrf_token": csrf_token_from(page), "body_ids": str(board["id"])}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    response = client.post(
        detail + "/links", data={"csrf_token": csrf_token_from(page), "opportunity_ids": str(forum["id"])}
    )
    assert response.status_code == 303
    page = client.get(detail).get_data(as_text=True)
    assert "The link was added" in page and "GCH Board" in page
    assert api.get(url(f"strands/{strand['id']}")).get_json()["body_ids"] == [board["id"]]
    assert api.get(url(f"strands/{strand['id']}")).get_json()["opportunity_ids"] == [forum["id"]]
    response = client.post(
        detail + "/links/remove", data={"csrf_token": csrf_token_from(page), "body_id": str(board["id"])}
    )
    assert response.status_code == 303
    assert "The link was removed" in client.get(detail).get_data(as_text=True)
    kept = api.get(url(f"strands/{strand['id']}")).get_json()
    assert kept["body_ids"] == [] and kept["opportunity_ids"] == [forum["id"]]


def test_the_link_form_refuses_what_the_api_refuses_in_the_same_words(
    org, staff, client, login_as, api, url, make_org, make_user, api_client
):
    strand = _strand(api, url)
    empty = api.put(url(f"strands/{strand['id']}/links"), json={})
    assert empty.status_code == 422
    assert empty.get_json()["error"]["fields"]["opportunity_ids"] == [NO_LINKS_GIVEN]
    other = make_org("elsewhere")
    theirs = created(
        api_client(make_user(other, "staff")).post(
            f"/api/v1/orgs/{other.slug}/bodies", json={"name": "Their board", "kind": "board"}
        )
    )
    foreign = api.put(url(f"strands/{strand['id']}/links"), json={"body_ids": [theirs["id"]]})
    assert foreign.status_code == 422
    words = foreign.get_json()["error"]["fields"]["body_ids"][0]
    login_as(staff)
    detail = f"{_base(org)}/strands/{strand['id']}"
    token = csrf_token_from(client.get(detail).get_data(as_text=True))
    response = client.post(detail + "/links", data={"csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>Error:" in page
    assert NO_LINKS_GIVEN in page and 'href="#opportunity_ids"' in page
    response = client.post(detail + "/links", data={"csrf_token": token, "body_ids": str(theirs["id"])})
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert 'href="#body_ids"' in response.get_data(as_text=True)


def test_a_viewer_sees_strands_without_controls_and_is_refused_before_input(
    org, client, login_as, make_user, api, url, core_url
):
    board = created(api.post(core_url("bodies"), json={"name": "GCH Board", "kind": "board"}))
    strand = _strand(api, url)
    api.put(url(f"strands/{strand['id']}/links"), json={"body_ids": [board["id"]]})
    login_as(make_user(org, "viewer"))
    detail = f"{_base(org)}/strands/{strand['id']}"
    page = client.get(detail).get_data(as_text=True)
    assert "GCH Board" in page and "Remove" not in page and "Add the link" not in page
    token = csrf_token_from(page)
    for path in (detail + "/links", detail + "/links/remove"):
        assert client.post(path, data={"csrf_token": token, "body_id": str(board["id"])}).status_code == 403
    assert api.get(url(f"strands/{strand['id']}")).get_json()["body_ids"] == [board["id"]]
