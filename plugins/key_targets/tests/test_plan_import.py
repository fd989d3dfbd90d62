"""Importing a key-targets plan from CSV: all or nothing, problems named by row and column."""

HEADER = (
    "phase,ref,action,strategic_aims,responsibility,core_values,kloe_tags,deadlines,status,outcome,"
    "progress,progress_date\n"
)


def upload(api, url, text):
    return api.post(url("targets/import"), data=text.encode(), content_type="text/csv")


def test_import_a_plan_then_update_it_from_a_second_file(api, url, phase):
    first = upload(
        api,
        url,
        HEADER + '"Year 1",1,"Tenant conference on the business plan",customer_driven_services,EMT,'
        "integrity;pride,KLOE 5,"
        '02-08-2006,done,"Better services",Complete,2006-08-02\n'
        '"year 1",2,"Training plan for tenant testers","","Resident Involvement Officers; Ian Harries",,,'
        '"continuous review; 31/08/2006",in_progress,,,\n',
    )
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {"created": 2, "updated": 0}
    targets = api.get(url("targets")).get_json()["items"]
    conference = next(t for t in targets if t["reference"] == "1")
    assert conference["status"] == "done" and conference["core_values"] == ["integrity", "pride"]
    assert [d["due_on"] for d in conference["deadlines"]] == ["2006-08-02"]
    training = next(t for t in targets if t["reference"] == "2")
    assert training["continuous_review"] is True and training["responsibility"] == [
        "Resident Involvement Officers",
        "Ian Harries",
    ]
    log = api.get(url(f"targets/{conference['id']}/progress")).get_json()
    assert (
        log[0]["note"] == "Complete"
        and log[0]["recorded_on"] == "2006-08-02"
        and log[0]["source"] == "import"
    )

    second = upload(
        api, url, "phase,ref,action,status,progress\nYear 1,2,Training plan agreed,done,Completed\n"
    )
    assert second.get_json() == {"created": 0, "updated": 1}
    updated = api.get(url(f"targets/{training['id']}")).get_json()
    assert updated["action"] == "Training plan agreed" and updated["status"] == "done"
    assert updated["continuous_review"] is True  # columns the file lacks are left alone


def test_rule_plan_import_is_all_or_nothing_naming_row_and_column(api, url, phase):
    refused = upload(
        api,
        url,
        HEADER
        + "Year 1,1,Good row,,,,,2006-12-01,,,,\n"
        + "Year 9,2,Unknown phase,,,,,2006-12-01,,,,\n"
        + "Year 1,3,No deadline,,,,,,,,,\n"
        + "Year 1,4,Bad date,,,,,31/13/2006,,,,\n"
        + "Year 1,5,Bad tag,,,speed,,2006-12-01,finished,,,\n"
        + "Year 1,1,Same ref again,,,,,2006-12-01,,,,\n",
    )
    assert refused.status_code == 422
    fields = refused.get_json()["error"]["fields"]
    assert set(fields) >= {
        "row 3.phase",
        "row 4.deadlines",
        "row 5.deadlines",
        "row 6.core_values",
        "row 6.status",
        "row 7.ref",
    }
    assert api.get(url("targets")).get_json()["total"] == 0


def test_plan_import_refuses_an_unknown_column_and_a_non_csv_body(api, url, phase):
    refused = upload(api, url, "phase,ref,action,colour\nYear 1,1,x,red\n")
    assert refused.status_code == 422 and "header" in refused.get_json()["error"]["fields"]
    assert api.post(url("targets/import"), json={"phase": "Year 1"}).status_code == 415


def test_plan_import_matches_existing_targets_on_phase_and_ref(api, url, phase, make_target):
    existing = make_target(reference="3", continuous_review=True, deadlines=[])
    result = upload(api, url, "phase,ref,action\nYear 1,3,Renamed\n")
    assert result.get_json() == {"created": 0, "updated": 1}
    assert api.get(url(f"targets/{existing['id']}")).get_json()["action"] == "Renamed"
    new_without_deadline = upload(api, url, "phase,ref,action\nYear 1,4,New\n")
    assert new_without_deadline.status_code == 422
    assert "row 2.deadlines" in new_without_deadline.get_json()["error"]["fields"]
