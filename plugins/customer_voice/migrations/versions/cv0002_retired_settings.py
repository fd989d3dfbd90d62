"""customer_voice plugin: drop the retired setting training_topics from stored settings (nothing
read it; training sessions are core activities of kind training)

Revision ID: cv0002_retired_settings
Revises: cv0001
"""

from core.migration_helpers import drop_plugin_settings

revision = "cv0002_retired_settings"
down_revision = "cv0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_plugin_settings("customer_voice", ("training_topics",))


def downgrade() -> None:
    # The key carried no meaning; the old schema fills in its default when it is missing.
    pass
