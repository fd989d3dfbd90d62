"""The named actions of the street_reps plugin, each with the least role that may perform it."""

from core.permissions import Permission

PERMISSIONS = (
    Permission(
        "street_reps.read", "See street representatives, walkabouts, the Forum budget and grants", "viewer"
    ),
    Permission(
        "street_reps.write", "Appoint representatives, record walkabouts, panels and inspections", "staff"
    ),
    Permission("street_reps.budget", "Set the Customer Forum budget and allocate from it", "staff"),
    Permission("street_reps.grants", "Assess, award and pay grants to residents' groups", "staff"),
)
