"""The plan page reads like the seed's plan (rows in reference order, each phase's period given
once) and the demo's plan is dated in the demo year, not in 2005–2010."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.extensions import db
from core.periods import Period
from core.tenancy import organisation_scope
from plugins.key_targets.models import Conference, Deadline, Phase, ProgressEntry, Target
from plugins.key_targets.tests.conftest import created


def _rows(page: str, caption_start: str) -> list[str]:
    table = page[page.index(caption_start) :]
    table = table[: table.index("</table>")]
    return re.findall(r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]*)</td>', table)


def test_rule_the_plan_page_lists_a_phases_targets_in_reference_order(
    org, staff, client, login_as, make_target
):
    for reference in ("10", "2", "1", "3a", "3"):
        make_target(reference=reference)
    login_as(staff)
    page = client.get(f"/o/{org.slug}/plugins/key_targets/plan").get_data(as_text=True)
    assert _rows(page, "Year 1") == ["1", "2", "3", "3a", "10"]


def test_rule_the_plan_page_gives_each_phases_period_once(org, staff, api, url, client, login_as, phase):
    created(
        api.post(
            url("phases"),
            json={
                "title": "Year 2 and 3 – 1 April 2007 to 31 March 2009",
                "starts_on": "2007-04-01",
                "ends_on": "2009-03-31",
            },
        )
    )
    login_as(staff)
    page = client.get(f"/o/{org.slug}/plugins/key_targets/plan").get_data(as_text=True)
    assert "Year 1: 1 April 2006 to 31 March 2007</caption>" in page
    assert page.count("1 April 2006") == 1
    assert "Year 2 and 3 – 1 April 2007 to 31 March 2009</caption>" in page
    assert page.count("31 March 2009") == 1


def test_rule_the_demo_plan_is_dated_in_the_demo_year(app, org):
    from core.demo import load_plugin_demo_data
    from core.demo_data import load_demo_records

    today = date.today()
    year = Period.financial_year_of(today)
    load_demo_records(org)
    load_plugin_demo_data(org)
    with organisation_scope(org.id):
        phases = db.session.scalars(select(Phase).order_by(Phase.starts_on)).all()
        deadlines = db.session.scalars(select(Deadline.due_on)).all()
        texts = [
            text
            for target in db.session.scalars(select(Target))
            for text in (target.action, target.outcome)
            if text
        ] + list(db.session.scalars(select(ProgressEntry.note)))
        logged = db.session.scalars(select(ProgressEntry.recorded_on)).all()
        conferences = db.session.scalars(select(Conference.year).order_by(Conference.year)).all()
        stale = db.session.scalars(
            select(Target.reference)
            .join(Deadline, Deadline.target_id == Target.id)
            .where(
                Target.phase_id == phases[-1].id,
                Target.status == "not_started",
                Deadline.due_on < today - timedelta(days=60),
            )
        ).all()
    assert (phases[-1].starts_on, phases[-1].ends_on) == (year.start, year.end)
    assert phases[0].starts_on == date(year.start.year - 4, 10, 1)  # the seed's first six months
    assert all(not re.search(r"\d{4}", phase.title) for phase in phases)  # dates shown once, by the page
    earliest = year.start.year - 4
    assert min(deadlines).year >= earliest - 1  # the seed's first meeting was agreed before monitoring began
    assert all(int(y) >= earliest - 1 for text in texts for y in re.findall(r"\b(?:19|20)\d{2}\b", text)), (
        texts
    )
    assert max(logged) <= today  # no progress dated in the future
    assert conferences == [year.start.year - 3, year.start.year - 2, today.year - 1]
    # This year's targets stand as they would today: none months past its deadline and not started.
    assert stale == []
