"""Officer pages for Your Voice (``/o/<slug>/plugins/reward_points/``): the scheme year at a glance
with bounded year navigation, the points rules and their versions, members (join, leave, rejoin,
voucher or charity), each member's statement with every entry and its source, manual awards and
corrections with a reason, and the year's conversion (preview, run, vouchers and donations files).

Every page calls the same services and loads its forms through the same schemas as the API, so a
page refuses what the API refuses in the same words.
"""

from flask import Blueprint

web_bp = Blueprint("plugin_reward_points_web", __name__, template_folder="../templates")

from plugins.reward_points.web import conversion, members, rules, scheme  # noqa: E402, F401
