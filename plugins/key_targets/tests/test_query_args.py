"""Query arguments a key_targets list takes are honoured, and one it does not take is refused."""

from plugins.key_targets.tests.conftest import created


def test_target_progress_log_pages_with_page_and_per_page(api, url, make_target):
    target = make_target()
    for n, recorded_on in enumerate(("2006-10-01", "2006-11-01", "2006-12-01")):
        created(
            api.post(
                url(f"targets/{target['id']}/progress"),
                json={"note": f"Step {n}", "recorded_on": recorded_on},
            )
        )
    second = api.get(url(f"targets/{target['id']}/progress?page=2&per_page=1"))
    assert second.status_code == 200
    assert [entry["note"] for entry in second.get_json()] == ["Step 1"]


def test_due_list_refuses_overdue_true_naming_it(api, url, make_target):
    make_target()
    refused = api.get(url("targets?overdue=true"))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"overdue": ["Unknown field."]}
    assert api.get(url("targets?due=overdue")).status_code == 200
