"""反诈指挥台 entry point: page config, login gate and the navigation router."""

from dataclasses import dataclass

import streamlit as st

import login_gate
from components.accessibility import chinese_labels
from components.wall_panels import device_refused
from services.access.permissions import Permission
from services.access.text import ACCOUNT_TITLE, USERS_TITLE
from services.accountability.text import ACC_TITLE, RULES_TITLE
from services.audit.text import AUDIT_TITLE
from services.campaigns.text import (
    ADMIN_TITLE,
    CAMPAIGNS_TITLE,
    INSPECTIONS_TITLE,
    LOG_TITLE,
    NAV_GROUP_CAMPAIGNS,
    REP_PAGE_TITLE,
)
from services.case_import.text import IMPORT_TITLE
from services.cases.text import CASES_TITLE
from services.desk.text import DESK_TITLE
from services.map.text import MAP_TITLE
from services.overview.text import OVERVIEW_TITLE
from services.shared.text import APP_TITLE, NAV_GROUP_ACCOUNT, NAV_GROUP_ADMIN, NAV_GROUP_VIEWS
from services.strike.text import STRIKE_TITLE
from services.units.text import UNIT_IMPORT_TITLE
from services.wall.text import DEVICES_TITLE, WALL_TITLE
from vocabulary import Role


@dataclass(frozen=True)
class View:
    """A page, the group it is listed in and the permission it needs (None: every signed-in user)."""

    script: str
    title: str
    icon: str
    url_path: str
    group: str
    permission: Permission | None

    def page(self) -> st.Page:
        return st.Page(self.script, title=self.title, icon=self.icon, url_path=self.url_path)


VIEWS = (
    View("views/overview.py", OVERVIEW_TITLE, ":material/dashboard:", "overview", NAV_GROUP_VIEWS, Permission.VIEW_OVERVIEW),
    View("views/desk.py", DESK_TITLE, ":material/support_agent:", "desk", NAV_GROUP_VIEWS, Permission.VIEW_CALLS),
    View("views/cases.py", CASES_TITLE, ":material/folder_open:", "cases", NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/map.py", MAP_TITLE, ":material/map:", "map", NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/accountability.py", ACC_TITLE, ":material/gavel:", "accountability", NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/strike.py", STRIKE_TITLE, ":material/savings:", "strike", NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/campaigns.py", CAMPAIGNS_TITLE, ":material/campaign:", "campaigns", NAV_GROUP_CAMPAIGNS,
         Permission.VIEW_CAMPAIGNS),
    View("views/campaign_log.py", LOG_TITLE, ":material/edit_note:", "campaign_log", NAV_GROUP_CAMPAIGNS,
         Permission.LOG_ACTIVITIES),
    View("views/campaign_reports.py", REP_PAGE_TITLE, ":material/event_note:", "campaign_reports", NAV_GROUP_CAMPAIGNS,
         Permission.VIEW_CAMPAIGNS),
    View("views/campaign_inspections.py", INSPECTIONS_TITLE, ":material/fact_check:", "campaign_inspections",
         NAV_GROUP_CAMPAIGNS, Permission.VIEW_CAMPAIGNS),
    View("views/campaign_admin.py", ADMIN_TITLE, ":material/tune:", "campaign_admin", NAV_GROUP_CAMPAIGNS,
         Permission.MANAGE_CAMPAIGNS),
    View("views/case_import.py", IMPORT_TITLE, ":material/upload_file:", "case_import", NAV_GROUP_VIEWS, Permission.EDIT_CASES),
    View("views/unit_import.py", UNIT_IMPORT_TITLE, ":material/add_location_alt:", "unit_import", NAV_GROUP_ADMIN, Permission.MANAGE_UNITS),
    View("views/wall.py", WALL_TITLE, ":material/tv:", "wall", NAV_GROUP_VIEWS, Permission.VIEW_WALL),
    View("views/rules.py", RULES_TITLE, ":material/rule:", "rules", NAV_GROUP_ADMIN, Permission.MANAGE_RULES),
    View("views/users.py", USERS_TITLE, ":material/group:", "users", NAV_GROUP_ADMIN, Permission.MANAGE_USERS),
    View("views/wall_devices.py", DEVICES_TITLE, ":material/cast:", "wall_devices", NAV_GROUP_ADMIN,
         Permission.MANAGE_USERS),
    View("views/audit.py", AUDIT_TITLE, ":material/policy:", "audit", NAV_GROUP_ADMIN, Permission.VIEW_AUDIT),
    View("views/account.py", ACCOUNT_TITLE, ":material/key:", "account", NAV_GROUP_ACCOUNT, None),
)


# An emoji favicon is drawn locally; a ":material/…:" page icon would be fetched from fonts.gstatic.com.
st.set_page_config(page_title=APP_TITLE, page_icon="🛡️", layout="wide")
def _home() -> None:
    """The bare address: app.py sends the user on to their first view."""


chinese_labels()
with login_gate.database_errors():
    actor = login_gate.current_actor()
    # Every view is registered under its own path, so the address a user opened (or was sent)
    # survives the login, and a view the role may not use answers with the service's refusal.
    pages = {v: v.page() for v in VIEWS}
    home = st.Page(_home, title=APP_TITLE, url_path="home", default=True)
    navigation = st.navigation([home, *pages.values()], position="hidden")
    if actor is None:
        if reason := login_gate.device_ended():
            device_refused(reason)  # a revoked or expired wall device shows this message and nothing else
        else:
            login_gate.login_view()
        st.stop()
    if not login_gate.cookie_ready():
        st.stop()

    allowed = [v for v in VIEWS if v.permission is None or actor.can(v.permission)]
    wall = next(page for view, page in pages.items() if view.url_path == "wall")
    if navigation is home or (actor.role is Role.WALL and navigation is not wall):
        # The 大屏 role runs the wall and nothing else: no menus, no account buttons.
        first = wall if actor.role is Role.WALL else pages[allowed[0]]
        st.switch_page(first, query_params=st.query_params.to_dict())
    if navigation is not wall:  # the wall is full screen: it checks its sign-in on every refresh itself
        login_gate.sidebar(actor, [(v.group, pages[v]) for v in allowed])
    navigation.run()
