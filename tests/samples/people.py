"""A participant of organisation B with equality monitoring answers and a customer profile."""

from datetime import date

from core.models import CustomerProfileCount, EqualityMonitoring, Participant
from tests.samples import SECRET


def samples(db_session, org):
    participant = Participant(first_name=SECRET, last_name="Resident", email="bravo.resident@example.org")
    db_session.add(participant)
    db_session.flush()
    db_session.add(EqualityMonitoring(participant_id=participant.id, age_band="35_44", religion="sikh"))
    db_session.add(
        CustomerProfileCount(characteristic="age_band", category="35_44", count=7, as_of=date.today())
    )
    db_session.flush()
    # customer-profile/<characteristic> names a characteristic, not a record: see NOT_RECORD_IDS.
    return {"participant_id": participant.id, "characteristic": "age_band"}
