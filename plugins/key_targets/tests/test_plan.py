"""The key-targets plan: phases, targets with deadlines and tags, the progress log, overdue and
due-soon lists."""

from plugins.key_targets.tests.conftest import TODAY, created, day


def test_record_a_target_with_its_tags_deadlines_and_outcome(api, url, phase):
    target = created(
        api.post(
            url("targets"),
            json={
                "phase_id": phase["id"],
                "reference": "2",
                "action": "Hold the annual conference to review the strategy",
                "strategic_aims": ["customer_driven_services"],
                "responsibility": ["Resident Involvement Officers", "Director of Housing"],
                "core_values": ["integrity", "quality"],
                "kloe_tags": ["KLOE 5"],
                "deadlines": ["2008-12-01", "2007-12-01", "2009-12-01"],
                "outcome": "Improved services for tenants.",
                "progress": "Venue booked.",
            },
        )
    )
    assert [d["due_on"] for d in target["deadlines"]] == ["2007-12-01", "2008-12-01", "2009-12-01"]
    assert target["status"] == "not_started" and target["overdue"] is True
    assert [p["note"] for p in target["progress"]] == ["Venue booked."]
    assert target["progress"][0]["recorded_on"] == TODAY.isoformat()
    shown = api.get(url(f"targets/{target['id']}")).get_json()
    assert shown["responsibility"] == ["Resident Involvement Officers", "Director of Housing"]


def test_rule_phases_of_the_plan_do_not_overlap(api, url, phase):
    refused = api.post(
        url("phases"), json={"title": "Year 2", "starts_on": "2007-03-01", "ends_on": "2008-03-31"}
    )
    assert refused.status_code == 409 and "Year 1" in refused.get_json()["error"]["message"]
    created(
        api.post(url("phases"), json={"title": "Year 2", "starts_on": "2007-04-01", "ends_on": "2008-03-31"})
    )
    later = api.get(url("phases")).get_json()["items"][1]
    assert api.patch(url(f"phases/{later['id']}"), json={"starts_on": "2007-03-31"}).status_code == 409


def test_rule_a_phase_cannot_start_before_plan_monitoring_began(api, url):
    refused = api.post(
        url("phases"), json={"title": "Early", "starts_on": "2005-09-01", "ends_on": "2006-03-31"}
    )
    assert refused.status_code == 422 and "starts_on" in refused.get_json()["error"]["fields"]


def test_rule_a_phase_cannot_end_before_it_starts(api, url):
    refused = api.post(
        url("phases"), json={"title": "Odd", "starts_on": "2008-04-01", "ends_on": "2008-03-31"}
    )
    assert refused.status_code == 422 and "ends_on" in refused.get_json()["error"]["fields"]


def test_rule_a_phase_with_targets_cannot_be_deleted(api, url, phase, make_target):
    make_target()
    assert api.delete(url(f"phases/{phase['id']}")).status_code == 409
    empty = created(
        api.post(url("phases"), json={"title": "Y9", "starts_on": "2015-04-01", "ends_on": "2016-03-31"})
    )
    assert api.delete(url(f"phases/{empty['id']}")).status_code == 204


def test_rule_target_reference_is_unique_within_its_phase(api, url, phase, make_target):
    first = make_target(reference="7")
    refused = api.post(
        url("targets"),
        json={"phase_id": phase["id"], "reference": "7", "action": "x", "deadlines": ["2006-10-31"]},
    )
    assert refused.status_code == 409 and "'7'" in refused.get_json()["error"]["message"]
    # The seed numbers every phase from 1, so another phase may reuse the reference.
    other = created(
        api.post(url("phases"), json={"title": "Y2", "starts_on": "2007-04-01", "ends_on": "2009-03-31"})
    )
    make_target(phase_id=other["id"], reference="7")
    second = make_target(reference="8")
    assert (
        api.patch(url(f"targets/{second['id']}"), json={"reference": first["reference"]}).status_code == 409
    )


def test_rule_a_target_needs_a_deadline_or_continuous_review(api, url, phase, make_target):
    body = {"phase_id": phase["id"], "reference": "1", "action": "Review the strategy"}
    refused = api.post(url("targets"), json=body)
    assert refused.status_code == 422 and "deadlines" in refused.get_json()["error"]["fields"]
    continuous = created(api.post(url("targets"), json={**body, "continuous_review": True}))
    assert continuous["deadlines"] == [] and continuous["overdue"] is False
    dated = make_target(reference="2")
    cleared = api.patch(url(f"targets/{dated['id']}"), json={"deadlines": []})
    assert cleared.status_code == 422 and "deadlines" in cleared.get_json()["error"]["fields"]


def test_rule_aims_values_and_kloe_tags_come_from_the_organisations_lists(api, url, phase):
    refused = api.post(
        url("targets"),
        json={
            "phase_id": phase["id"],
            "reference": "1",
            "action": "x",
            "deadlines": ["2006-12-01"],
            "strategic_aims": ["world_peace"],
            "core_values": ["integrity", "speed"],
            "kloe_tags": ["KLOE 9"],
        },
    )
    fields = refused.get_json()["error"]["fields"]
    assert refused.status_code == 422
    assert (
        set(fields) == {"strategic_aims", "core_values", "kloe_tags"} and "speed" in fields["core_values"][0]
    )


def test_rule_only_a_continuous_review_target_is_ongoing(api, url, make_target):
    target = make_target()
    refused = api.patch(url(f"targets/{target['id']}"), json={"status": "ongoing"})
    assert refused.status_code == 422 and "status" in refused.get_json()["error"]["fields"]
    allowed = api.patch(url(f"targets/{target['id']}"), json={"status": "ongoing", "continuous_review": True})
    assert allowed.status_code == 200 and allowed.get_json()["status"] == "ongoing"


def test_rule_progress_is_never_dated_in_the_future(api, url, make_target):
    target = make_target()
    refused = api.post(
        url(f"targets/{target['id']}/progress"), json={"note": "Done", "recorded_on": str(day(1))}
    )
    assert refused.status_code == 422 and "recorded_on" in refused.get_json()["error"]["fields"]
    deadline = target["deadlines"][0]["id"]
    late = api.patch(url(f"targets/{target['id']}/deadlines/{deadline}"), json={"met_on": str(day(2))})
    assert late.status_code == 422 and "met_on" in late.get_json()["error"]["fields"]


def test_the_progress_log_is_dated_and_records_status_changes(api, url, make_target):
    target = make_target()
    note = created(
        api.post(
            url(f"targets/{target['id']}/progress"),
            json={"note": "Arranged for 5 December", "recorded_on": "2006-11-01"},
        )
    )
    assert note["recorded_on"] == "2006-11-01" and note["source"] == "officer"
    done = created(api.post(url(f"targets/{target['id']}/progress"), json={"note": "Held", "status": "done"}))
    assert done["status"] == "done"
    api.patch(url(f"targets/{target['id']}"), json={"status": "in_progress"})
    log = api.get(url(f"targets/{target['id']}/progress")).get_json()
    assert [entry["note"] for entry in log] == [
        "Arranged for 5 December",
        "Held",
        "Status changed from done to in progress.",
    ]
    shown = api.get(url(f"targets/{target['id']}")).get_json()
    assert shown["status"] == "in_progress" and shown["completed_on"] is None


def test_overdue_and_due_soon_lists(api, url, make_target, phase):
    overdue = make_target(reference="1", deadlines=[str(day(-3)), str(day(60))])
    soon = make_target(reference="2", deadlines=[str(day(10))])
    later = make_target(reference="3", deadlines=[str(day(90))])
    done = make_target(reference="4", deadlines=[str(day(-10))], status="done")
    met = make_target(reference="5", deadlines=[str(day(-5))])
    api.patch(
        url(f"targets/{met['id']}/deadlines/{met['deadlines'][0]['id']}"), json={"met_on": str(day(-6))}
    )

    def listed(due):
        return [
            t["reference"] for t in api.get(url("targets"), query_string={"due": due}).get_json()["items"]
        ]

    assert listed("overdue") == ["1"]
    assert listed("due_soon") == ["2"]
    shown = api.get(url(f"targets/{overdue['id']}")).get_json()
    assert shown["overdue"] is True and shown["next_due_on"] == str(day(60))
    assert api.get(url(f"targets/{later['id']}")).get_json()["due_soon"] is False
    assert api.get(url(f"targets/{soon['id']}")).get_json()["due_soon"] is True
    assert api.get(url(f"targets/{done['id']}")).get_json()["completed_on"] == TODAY.isoformat()
    assert (
        api.get(url("targets"), query_string={"phase_id": phase["id"], "status": "done"}).get_json()["total"]
        == 1
    )


def test_a_deadline_of_another_target_is_not_found(api, url, make_target):
    one, two = make_target(reference="1"), make_target(reference="2")
    wrong = api.patch(
        url(f"targets/{one['id']}/deadlines/{two['deadlines'][0]['id']}"), json={"met_on": None}
    )
    assert wrong.status_code == 404


def test_deleting_a_target_deletes_its_deadlines_and_log(api, url, make_target):
    target = make_target(progress="Started")
    assert api.delete(url(f"targets/{target['id']}")).status_code == 204
    assert api.get(url(f"targets/{target['id']}")).status_code == 404
