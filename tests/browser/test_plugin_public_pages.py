"""The plugins' public pages in a real browser: Gentoo's forums and Information & Knowledge events,
Gloucester's key-targets progress, Circle Anglia's RASP page (group and partner) and Halton's grants
pass axe-core's WCAG 2.2 AA rules at 1280 px and 320 px and do not scroll sideways."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.testing import serving
from tests.browser.helpers import check_page, click

TODAY = date.today()


def _org(db, Organisation, slug, name, **extra):
    org = Organisation(slug=slug, name=name, settings={"feedback_period_months": 3}, **extra)
    db.session.add(org)
    db.session.flush()
    return org


@pytest.fixture(scope="module")
def plugin_pages_server(tmp_path_factory):
    """Four landlords, each with one plugin on and something published on its public pages."""
    from core.app import create_app
    from core.extensions import db
    from core.models import Activity, Area, Body, Organisation, Venue
    from core.services.plugin_state import set_plugin_state
    from core.tenancy import organisation_scope
    from core.testing import base_config, migrate
    from plugins.customer_voice.models import Forum, InformationEvent
    from plugins.key_targets.models import Deadline, Phase, Target
    from plugins.partner_statements.models import RaspMember
    from plugins.street_reps.models import Grant

    config = base_config(f"sqlite:///{tmp_path_factory.mktemp('plugin-pages') / 'live.db'}")
    migrate(config)
    app = create_app(config)
    registry = app.extensions["involve"].plugins
    soon = datetime.now(UTC) + timedelta(days=12)
    with app.app_context():
        gentoo = _org(db, Organisation, "gentoo-test", "Gentoo Test")
        with organisation_scope(gentoo.id):
            for name in ("Sunderland North", "Washington and Houghton"):
                db.session.add(Area(name=name, kind="management_area"))
            db.session.flush()
            set_plugin_state(registry, gentoo, "customer_voice", enabled=True, settings={})
            forum = db.session.scalars(db.select(Forum).order_by(Forum.slot)).first()
            venue = Venue(name="Pennywell community centre", features=["step_free_access", "hearing_loop"])
            db.session.add(venue)
            db.session.flush()
            meeting = Activity(
                title="Forum meeting", kind="meeting", starts_at=soon, body_id=forum.body_id, is_public=True
            )
            talk = Activity(
                title="Information & Knowledge: Damp and mould",
                kind="event",
                starts_at=soon + timedelta(days=30),
                venue_id=venue.id,
                is_public=True,
            )
            db.session.add_all([meeting, talk])
            db.session.flush()
            db.session.add(InformationEvent(activity_id=talk.id, topic="Damp and mould"))

        gloucester = _org(db, Organisation, "glos-test", "Gloucester Test Homes")
        with organisation_scope(gloucester.id):
            set_plugin_state(registry, gloucester, "key_targets", enabled=True, settings={})
            phase = Phase(
                title="Year 1", starts_on=TODAY - timedelta(days=200), ends_on=TODAY + timedelta(days=165)
            )
            db.session.add(phase)
            db.session.flush()
            for reference, action, status in (
                ("1", "Hold a residents' conference every year to review this strategy", "in_progress"),
                ("2", "Train tenant inspectors to check empty homes before they are let", "done"),
                ("3", "Publish a newsletter for residents four times a year", "not_started"),
            ):
                target = Target(
                    phase_id=phase.id,
                    reference=reference,
                    action=action,
                    status=status,
                    outcome="Residents shape the services they receive.",
                    completed_on=TODAY - timedelta(days=5) if status == "done" else None,
                )
                db.session.add(target)
                db.session.flush()
                db.session.add(Deadline(target_id=target.id, due_on=TODAY + timedelta(days=40)))

        group = _org(db, Organisation, "anglia-test", "Anglia Test Group", kind="group")
        partner = _org(db, Organisation, "roddons-test", "Roddons Test", parent_id=group.id)
        for org in (group, partner):
            with organisation_scope(org.id):
                set_plugin_state(registry, org, "partner_statements", enabled=True, settings={})
        with organisation_scope(group.id):
            db.session.add(
                RaspMember(
                    partner_id=partner.id, nomination_ref=1, display_name="Private Name", joined_on=TODAY
                )
            )

        halton = _org(db, Organisation, "halton-test", "Halton Test Trust")
        with organisation_scope(halton.id):
            set_plugin_state(registry, halton, "street_reps", enabled=True, settings={})
            group_body = Body(name="Castlefields Residents Association", kind="residents_association")
            db.session.add(group_body)
            db.session.flush()
            db.session.add(
                Grant(
                    body_id=group_body.id,
                    grant_type="start_up",
                    purpose="A tea urn, leaflets and hire of the community room for the first year",
                    requested_pence=50000,
                    applied_on=TODAY - timedelta(days=60),
                    status="awarded",
                    awarded_pence=45000,
                    awarded_on=TODAY - timedelta(days=30),
                )
            )
        db.session.commit()
    with serving(app) as url:
        yield url


PAGES = {
    "/p/gentoo-test/customer_voice/forums": "Sunderland North Community Engagement Forum",
    "/p/gentoo-test/customer_voice/information-events": "Damp and mould",
    "/p/glos-test/key_targets/progress": "Train tenant inspectors",
    "/p/anglia-test/partner_statements/rasp": "Roddons Test",
    "/p/roddons-test/partner_statements/rasp": "Anglia Test Group",
    "/p/halton-test/street_reps/grants": "Castlefields Residents Association",
}


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", list(PAGES))
def test_every_plugin_public_page_is_accessible_and_fits(plugin_pages_server, page, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(plugin_pages_server + path)
    check_page(page, width, path)
    # Nothing is hidden from the side: the page is no wider than its window, scroll bar or not.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    content = page.locator("main#main-content").inner_text()
    assert PAGES[path].lower() in content.lower()
    assert "Private Name" not in content


def test_forum_meeting_leads_to_the_public_event(plugin_pages_server, page):
    page.goto(plugin_pages_server + "/p/gentoo-test/customer_voice/forums")
    click(page, "main a[href*='/p/gentoo-test/events/']")
    assert page.locator("h1").inner_text() == "Forum meeting"
