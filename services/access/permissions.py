"""What each role may do (the role matrix), checked by services on every read and write."""

from enum import StrEnum

from vocabulary import Role


class Permission(StrEnum):
    """Actions guarded by role."""

    VIEW_OVERVIEW = "view_overview"
    VIEW_CASES = "view_cases"
    EDIT_CASES = "edit_cases"
    LOG_CALLS = "log_calls"
    VIEW_CALLS = "view_calls"
    UNMASK = "unmask"
    SIGN_OFF = "sign_off"
    VIEW_WALL = "view_wall"
    MANAGE_USERS = "manage_users"
    MANAGE_UNITS = "manage_units"
    MANAGE_RULES = "manage_rules"
    VIEW_AUDIT = "view_audit"
    EXPORT = "export"
    VIEW_CAMPAIGNS = "view_campaigns"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    LOG_ACTIVITIES = "log_activities"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # 系统管理员: users, units, thresholds and the audit trail; no case data by default.
    Role.ADMIN: frozenset({Permission.MANAGE_USERS, Permission.MANAGE_UNITS, Permission.MANAGE_RULES,
                           Permission.VIEW_AUDIT}),
    # 局领导: everything in their unit's subtree, sign-offs.
    Role.LEADER: frozenset({Permission.VIEW_OVERVIEW, Permission.VIEW_CASES, Permission.EDIT_CASES,
                            Permission.VIEW_CALLS, Permission.UNMASK, Permission.SIGN_OFF, Permission.VIEW_WALL,
                            Permission.EXPORT, Permission.VIEW_CAMPAIGNS, Permission.MANAGE_CAMPAIGNS,
                            Permission.LOG_ACTIVITIES}),
    # 指挥中心: read everything in the subtree, the wall display.
    Role.COMMAND: frozenset({Permission.VIEW_OVERVIEW, Permission.VIEW_CASES, Permission.VIEW_CALLS,
                             Permission.UNMASK, Permission.VIEW_WALL, Permission.EXPORT, Permission.VIEW_CAMPAIGNS}),
    # 专家席民警: log and read calls, read cases.
    Role.DESK: frozenset({Permission.VIEW_OVERVIEW, Permission.VIEW_CASES, Permission.LOG_CALLS,
                          Permission.VIEW_CALLS, Permission.UNMASK}),
    # 单位填报员: their own unit's activities, cases and accountability explanations.
    Role.CLERK: frozenset({Permission.VIEW_OVERVIEW, Permission.VIEW_CASES, Permission.EDIT_CASES,
                           Permission.VIEW_CAMPAIGNS, Permission.LOG_ACTIVITIES}),
    # 大屏: read-only, always masked.
    Role.WALL: frozenset({Permission.VIEW_OVERVIEW, Permission.VIEW_WALL}),
}


def allowed(role: Role | str, permission: Permission) -> bool:
    """Whether a role carries a permission."""
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())
