"""A request to get involved (``request_id``), sent through organisation B's residents' site."""

from datetime import date

from core.models import InvolvementRequest
from tests.samples import SECRET


def samples(db_session, org):
    request = InvolvementRequest(
        first_name=SECRET,
        last_name=f"{SECRET} resident",
        email="bravo@example.com",
        consent_given_on=date(2025, 5, 1),
        contact_consent=True,
        channels=[],
        formats=[],
        access_needs=[],
        interests=[],
        status="pending",
        submission_token="b" * 43,
    )
    db_session.add(request)
    db_session.flush()
    return {"request_id": request.id}
