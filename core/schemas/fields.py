"""Field types shared by the schemas."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """ISO 8601 with an offset; SQLite hands back naive UTC datetimes, so they get one.

    A value loaded with an offset is converted to UTC: SQLite stores the wall-clock time and drops
    the offset, so 18:30+01:00 kept as it came would be read back as 18:30 UTC (19:30 in summer).
    A naive value is taken as UTC, as before.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:  # year 1 or 9999 pushed past the calendar by the offset
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from exc

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
