"""The customer profile and the equality summary pages: aggregates only, small numbers hidden."""

from datetime import date

from core.models import CustomerProfileCount, EqualityMonitoring, Participant
from core.services.monitoring import take_snapshots
from core.tenancy import organisation_scope


def test_the_customer_profile_shows_totals(client, make_org, make_user, login_as, db_session):
    org = make_org()
    with organisation_scope(org.id):
        for category, count in (("female", 60), ("male", 40)):
            db_session.add(
                CustomerProfileCount(
                    characteristic="sex", category=category, count=count, as_of=date(2025, 4, 1)
                )
            )
        db_session.commit()
    login_as(make_user(org, "staff"))
    page = client.get(f"/o/{org.slug}/profile").get_data(as_text=True)
    assert "100 customers, as of 1 April 2025" in page and "60%" in page
    assert "No counts have been uploaded for age yet." in page


def test_the_equality_summary_is_for_analysts_and_hides_small_numbers(
    client, make_org, make_user, login_as, db_session
):
    org = make_org()
    with organisation_scope(org.id):
        for n in range(12):
            person = Participant(first_name=f"P{n}", last_name="Lee")
            db_session.add(person)
            db_session.flush()
            db_session.add(
                EqualityMonitoring(participant_id=person.id, sex="female" if n < 10 else "prefer_not_to_say")
            )
        db_session.commit()
    login_as(make_user(org, "staff"))
    assert client.get(f"/o/{org.slug}/equality").status_code == 403
    login_as(make_user(org, "staff", equality_analyst=True))
    page = client.get(f"/o/{org.slug}/equality").get_data(as_text=True)
    assert "Not counted yet" in page
    with organisation_scope(org.id):
        take_snapshots(date(2025, 6, 1))
        db_session.commit()
    page = client.get(f"/o/{org.slug}/equality").get_data(as_text=True)
    assert ">10<" in page and "Hidden (small number)" in page and ">2<" not in page
