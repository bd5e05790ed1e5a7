"""Who may do what with incidents in a mission, on top of core.access's scoping.

- reporters, analysts and administrators report incidents and see source gradings;
- analysts and administrators verify, merge, run alerts, rules, tasks, ceasefires and the
  taxonomy, and are the only ones to see source identities;
- partners read the incidents marked shared, without sources or attachments.
"""

from bluehelmet.core.access import STAFF_ROLES, role_in
from bluehelmet.core.models import Mission, Role

ANALYST_ROLES = (Role.ADMINISTRATOR, Role.ANALYST)


def can_report(user, mission: Mission) -> bool:
    return role_in(user, mission) in STAFF_ROLES


def can_analyse(user, mission: Mission) -> bool:
    return role_in(user, mission) in ANALYST_ROLES


def can_see_sources(user, mission: Mission) -> bool:
    """The gradings (kind, reliability, credibility) of sources; not their identity."""
    return role_in(user, mission) in STAFF_ROLES


def can_see_source_identities(user, mission: Mission) -> bool:
    return role_in(user, mission) in ANALYST_ROLES


def capabilities(user, mission: Mission) -> dict[str, bool]:
    """All of the above in one lookup, for templates."""
    role = role_in(user, mission)
    return {
        "report": role in STAFF_ROLES,
        "analyse": role in ANALYST_ROLES,
        "sources": role in STAFF_ROLES,
        "identities": role in ANALYST_ROLES,
    }
