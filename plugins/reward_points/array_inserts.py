"""The conversion's two bulk inserts on PostgreSQL, as ``INSERT … SELECT … FROM unnest(arrays)``.

A multi-row ``VALUES`` insert of 1,000 conversions sends twelve thousand parameters, which
PostgreSQL parses and plans one by one; here each column travels as one array parameter (a
dozen parameters whatever the batch size), and the rows are unpacked by ``unnest`` on the
server. The rows, the ``ON CONFLICT DO NOTHING`` on (member, scheme year) and what comes back are
the same as the ``VALUES`` insert's, which SQLite keeps using (``conversion.convert_batch``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, Date, DateTime, Integer, String, bindparam, cast, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from core.extensions import db
from core.models import Spend
from plugins.reward_points.models import RewardConversion

TYPES = {"int": Integer, "text": String}


def _unnest(columns: dict[str, tuple[str, list]]):
    """A FROM of one row per position of the equal-length lists (``name: (type, values)``)."""
    arrays = [
        cast(bindparam(f"rows_{name}", values, type_=ARRAY(TYPES[kind])), ARRAY(TYPES[kind]))
        for name, (kind, values) in columns.items()
    ]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name="rows", with_types=False)


def _constant(value: Any, type_) -> Any:
    return literal(value, type_)


def insert_spend(rows: list[dict]) -> list[tuple[int, str]]:
    """Insert the spend rows (one per member); ``(id, description)`` of each."""
    first = rows[0]
    source = _unnest(
        {
            "amount_pence": ("int", [row["amount_pence"] for row in rows]),
            "description": ("text", [row["description"] for row in rows]),
        }
    )
    table = Spend.__table__
    statement = (
        pg_insert(table)
        .from_select(
            ["organisation_id", "spent_on", "category", "amount_pence", "description", "created_at"],
            select(
                _constant(first["organisation_id"], Integer),
                _constant(first["spent_on"], Date),
                _constant(first["category"], String),
                source.c.amount_pence,
                source.c.description,
                _constant(first["created_at"], DateTime(timezone=True)),
            ),
        )
        .returning(table.c.id, table.c.description)
    )
    return [tuple(row) for row in db.session.execute(statement)]


def insert_conversions(rows: list[dict]) -> list[int]:
    """Insert the conversions, skipping any (member, scheme year) already converted; the member
    ids written."""
    first = rows[0]
    source = _unnest(
        {
            "member_id": ("int", [row["member_id"] for row in rows]),
            "points": ("int", [row["points"] for row in rows]),
            "value_pence": ("int", [row["value_pence"] for row in rows]),
            "reward_choice": ("text", [row["reward_choice"] for row in rows]),
            "retailer": ("text", [row["retailer"] for row in rows]),
            "charity": ("text", [row["charity"] for row in rows]),
            "spend_id": ("int", [row["spend_id"] for row in rows]),
        }
    )
    table = RewardConversion.__table__
    columns = [
        "organisation_id",
        "member_id",
        "scheme_year",
        "points",
        "pence_per_point",
        "value_pence",
        "reward_choice",
        "retailer",
        "charity",
        "spend_id",
        "converted_on",
        "created_at",
    ]
    statement = (
        pg_insert(table)
        .from_select(
            columns,
            select(
                _constant(first["organisation_id"], Integer),
                source.c.member_id,
                _constant(first["scheme_year"], Integer),
                source.c.points,
                _constant(first["pence_per_point"], String),
                source.c.value_pence,
                source.c.reward_choice,
                source.c.retailer,
                source.c.charity,
                source.c.spend_id,
                _constant(first["converted_on"], Date),
                _constant(first["created_at"], DateTime(timezone=True)),
            ),
        )
        .on_conflict_do_nothing(index_elements=["organisation_id", "member_id", "scheme_year"])
        .returning(table.c.member_id)
    )
    return list(db.session.scalars(statement))
