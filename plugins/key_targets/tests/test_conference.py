"""The annual tenants' conference: one a year, and decisions that change the plan and are logged."""

from plugins.key_targets.tests.conftest import TODAY, created


def conference(api, url, year=2007, held_on="2007-12-06", **extra):
    return api.post(
        url("conferences"), json={"year": year, "title": f"Conference {year}", "held_on": held_on, **extra}
    )


def test_a_decision_updates_a_target_and_is_logged_on_it(api, url, make_target):
    target = make_target(deadlines=["2007-12-01"])
    held = created(conference(api, url, attendance=97))
    assert held["due_on"] == "2007-12-01" and held["on_time"] is False
    decision = created(
        api.post(
            url(f"conferences/{held['id']}/decisions"),
            json={
                "text": "Hold the conference every year",
                "target_id": target["id"],
                "set_status": "in_progress",
                "add_deadline": "2008-12-01",
            },
        )
    )
    assert decision["change"] == "deadline,status" and decision["target_id"] == target["id"]
    changed = api.get(url(f"targets/{target['id']}")).get_json()
    assert changed["status"] == "in_progress"
    assert [d["due_on"] for d in changed["deadlines"]] == ["2007-12-01", "2008-12-01"]
    entry = changed["progress"][-1]
    assert entry["source"] == "conference" and entry["decision_id"] == decision["id"]
    assert entry["recorded_on"] == "2007-12-06" and "Hold the conference every year" in entry["note"]
    shown = api.get(url(f"conferences/{held['id']}")).get_json()
    assert [d["text"] for d in shown["decisions"]] == ["Hold the conference every year"]


def test_a_decision_can_add_a_new_target_to_the_plan(api, url, phase):
    held = created(conference(api, url, year=2006, held_on="2006-12-05"))
    assert held["on_time"] is False
    decision = created(
        api.post(
            url(f"conferences/{held['id']}/decisions"),
            json={
                "text": "Add road shows",
                "new_target": {
                    "phase_id": phase["id"],
                    "reference": "15",
                    "action": "Road shows",
                    "deadlines": ["2007-03-31"],
                },
            },
        )
    )
    assert decision["change"] == "new_target"
    added = api.get(url(f"targets/{decision['target_id']}")).get_json()
    assert added["reference"] == "15" and added["progress"][0]["source"] == "conference"
    bad = api.post(
        url(f"conferences/{held['id']}/decisions"),
        json={
            "text": "x",
            "new_target": {"phase_id": phase["id"], "reference": "16", "action": "No deadline"},
        },
    )
    assert bad.status_code == 422 and "new_target.deadlines" in bad.get_json()["error"]["fields"]


def test_rule_one_conference_a_year_held_in_that_year(api, url):
    created(conference(api, url))
    again = conference(api, url, held_on="2007-11-01")
    assert again.status_code == 409 and "2007" in again.get_json()["error"]["message"]
    wrong_year = conference(api, url, year=2008, held_on="2009-01-10")
    assert wrong_year.status_code == 422 and "held_on" in wrong_year.get_json()["error"]["fields"]
    on_time = created(conference(api, url, year=2008, held_on="2008-11-20"))
    assert on_time["on_time"] is True


def test_rule_decisions_only_for_a_conference_that_has_taken_place(api, url):
    upcoming = created(conference(api, url, year=TODAY.year + 1, held_on=f"{TODAY.year + 1}-01-15"))
    refused = api.post(url(f"conferences/{upcoming['id']}/decisions"), json={"text": "Too early"})
    assert refused.status_code == 409


def test_a_change_to_a_target_needs_the_target(api, url):
    held = created(conference(api, url))
    refused = api.post(url(f"conferences/{held['id']}/decisions"), json={"text": "x", "set_status": "done"})
    assert refused.status_code == 422 and "target_id" in refused.get_json()["error"]["fields"]


def test_a_target_named_by_a_decision_cannot_be_deleted(api, url, make_target):
    target = make_target()
    held = created(conference(api, url))
    created(
        api.post(
            url(f"conferences/{held['id']}/decisions"), json={"text": "Keep it", "target_id": target["id"]}
        )
    )
    assert api.delete(url(f"targets/{target['id']}")).status_code == 409
    assert api.get(url(f"targets/{target['id']}")).status_code == 200
