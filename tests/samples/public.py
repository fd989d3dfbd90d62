"""A request to get involved (``request_id``) sent through organisation B's residents' site, and a
resident's sign-in link (``token``)."""

from datetime import date, timedelta

from core.models import InvolvementRequest, Participant, ResidentSignInLink
from core.models.base import utcnow
from core.services.resident_accounts import _sha256
from tests.samples import SECRET

RESIDENT_LINK_SECRET = f"{SECRET}-resident-sign-in-link-secret"


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
    resident = Participant(first_name=SECRET, last_name="Account holder", email="bravo.account@example.org")
    db_session.add(resident)
    db_session.flush()
    # A valid sign-in link of B's resident (``token``): A's site must answer it 404.
    db_session.add(
        ResidentSignInLink(
            token_hash=_sha256(RESIDENT_LINK_SECRET),
            participant_id=resident.id,
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    db_session.flush()
    return {"request_id": request.id, "token": RESIDENT_LINK_SECRET}
