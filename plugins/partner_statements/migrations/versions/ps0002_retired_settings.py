"""partner_statements plugin: drop the retired settings typical_access_routes and
statutory_service_charge_consultation from stored settings (they did nothing)

Revision ID: ps0002_retired_settings
Revises: ps0001_partner_statements
"""

from core.migration_helpers import drop_plugin_settings

revision = "ps0002_retired_settings"
down_revision = "ps0001_partner_statements"
branch_labels = None
depends_on = None

RETIRED = ("typical_access_routes", "statutory_service_charge_consultation")


def upgrade() -> None:
    drop_plugin_settings("partner_statements", RETIRED)


def downgrade() -> None:
    # The keys carried no meaning; loading settings without them fills nothing back in.
    pass
