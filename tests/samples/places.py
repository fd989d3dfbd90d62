from core.models import Area, Household
from tests.samples import SECRET


def samples(db_session, org):
    area = Area(name=f"{SECRET} estate", kind="estate")
    db_session.add(area)
    db_session.flush()
    household = Household(reference=f"{SECRET}-H1", address_lines=[f"1 {SECRET} Road"], area_id=area.id)
    db_session.add(household)
    db_session.flush()
    return {"area_id": area.id, "household_id": household.id}
