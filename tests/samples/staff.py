from core.models import Membership, User
from tests.samples import SECRET


def samples(db_session, org):
    """A member of staff of the organisation (users are global; the membership makes them B's)."""
    user = User(email=f"{SECRET.lower()}-officer-{org.slug}@bravo.example", name=f"{SECRET} officer")
    db_session.add(user)
    db_session.flush()
    db_session.add(Membership(user_id=user.id, organisation_id=org.id, role="staff"))
    db_session.flush()
    return {"staff_id": user.id}
