"""The example plugin's one table: notes that may reply to another note of the same organisation."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.tenancy import OrgOwned, org_foreign_key


class ExampleNote(OrgOwned, db.Model):
    __tablename__ = "example_notes"
    __org_table_args__ = (org_foreign_key("reply_to_id", "example_notes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(500))
    reply_to_id: Mapped[int | None] = mapped_column()
