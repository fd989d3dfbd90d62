"""reward_points plugin: members, the append-only ledger and yearly conversions

Revision ID: rp0001
Revises: (none; depends on 0003_surveys_kpis)
Create Date: 2026-11-22

The ledger tables refuse UPDATE and DELETE at the database itself (a trigger on each backend), so
even SQL that bypasses the application cannot rewrite points history.
"""

import sqlalchemy as sa
from alembic import op

from core.migration_helpers import disable_rls, enable_rls

revision = "rp0001"
down_revision = None
branch_labels = ("reward_points",)
depends_on = "0003_surveys_kpis"

APPEND_ONLY = ("reward_points_entries", "reward_points_conversions")


def _timestamp(name):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade():
    op.create_table(
        "reward_points_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("reward_choice", sa.String(length=30), nullable=False),
        sa.Column("retailer", sa.String(length=100), nullable=True),
        sa.Column("charity", sa.String(length=100), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "participant_id"],
            ["participants.organisation_id", "participants.id"],
            name=op.f("fk_reward_points_members_organisation_id_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reward_points_members_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_points_members")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_reward_points_members_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "participant_id",
            name=op.f("uq_reward_points_members_organisation_id_participant_id"),
        ),
    )
    op.create_table(
        "reward_points_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("requested_points", sa.Integer(), nullable=False),
        sa.Column("scheme_year", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("involvement_type", sa.String(length=60), nullable=True),
        sa.Column("participation_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "member_id"],
            ["reward_points_members.organisation_id", "reward_points_members.id"],
            name=op.f("fk_reward_points_entries_organisation_id_member_id_reward_points_members"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reward_points_entries_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_reward_points_entries_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_points_entries")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_reward_points_entries_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "idempotency_key",
            name=op.f("uq_reward_points_entries_organisation_id_idempotency_key"),
        ),
    )
    op.create_index(
        "ix_reward_points_entries_member",
        "reward_points_entries",
        ["organisation_id", "member_id", "scheme_year"],
    )
    op.create_index(
        "ix_reward_points_entries_participation",
        "reward_points_entries",
        ["organisation_id", "participation_id"],
    )
    op.create_table(
        "reward_points_conversions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("scheme_year", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("pence_per_point", sa.String(length=20), nullable=False),
        sa.Column("value_pence", sa.Integer(), nullable=False),
        sa.Column("reward_choice", sa.String(length=30), nullable=False),
        sa.Column("retailer", sa.String(length=100), nullable=True),
        sa.Column("charity", sa.String(length=100), nullable=True),
        sa.Column("spend_id", sa.Integer(), nullable=True),
        sa.Column("converted_on", sa.Date(), nullable=False),
        _timestamp("created_at"),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id", "member_id"],
            ["reward_points_members.organisation_id", "reward_points_members.id"],
            name=op.f("fk_reward_points_conversions_organisation_id_member_id_reward_points_members"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id", "spend_id"],
            ["spend.organisation_id", "spend.id"],
            name=op.f("fk_reward_points_conversions_organisation_id_spend_id_spend"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reward_points_conversions_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_points_conversions")),
        sa.UniqueConstraint(
            "organisation_id", "id", name=op.f("uq_reward_points_conversions_organisation_id_id")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "member_id",
            "scheme_year",
            name=op.f("uq_reward_points_conversions_organisation_id_member_id_scheme_year"),
        ),
    )
    for table in ("reward_points_members", *APPEND_ONLY):
        enable_rls(table)
    _append_only_triggers()


def _append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION reward_points_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: write a compensating entry', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION reward_points_refuse_change()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: write a compensating entry'); END"
                )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS reward_points_refuse_change()")
    for table in ("reward_points_conversions", "reward_points_entries", "reward_points_members"):
        disable_rls(table)
    op.drop_table("reward_points_conversions")
    op.drop_index("ix_reward_points_entries_participation", table_name="reward_points_entries")
    op.drop_index("ix_reward_points_entries_member", table_name="reward_points_entries")
    op.drop_table("reward_points_entries")
    op.drop_table("reward_points_members")
