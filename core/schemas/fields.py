"""Field types shared by the schemas."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """ISO 8601 with an offset; SQLite hands back naive UTC datetimes, so they get one."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
