"""Compatibility: the request lifecycle moved to :mod:`core.lifecycle` (API and web pages share it).

New code imports ``from core.lifecycle import require``; this module only re-exports.
"""

from core.lifecycle import (  # noqa: F401
    bearer_user,
    declared_permission,
    install_lifecycle,
    load_organisation,
    permission,
    public_blueprints,
    register_scoped,
    require,
    scoped_blueprints,
    session_user,
)
