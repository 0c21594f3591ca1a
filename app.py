"""反诈指挥台 entry point: page config, login gate and the navigation router."""

from dataclasses import dataclass

import streamlit as st

import web_session
from services import labels as L
from services.access.permissions import Permission


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
    View("views/overview.py", L.OVERVIEW_TITLE, ":material/dashboard:", "overview", L.NAV_GROUP_VIEWS, Permission.VIEW_OVERVIEW),
    View("views/desk.py", L.DESK_TITLE, ":material/support_agent:", "desk", L.NAV_GROUP_VIEWS, Permission.VIEW_CALLS),
    View("views/cases.py", L.CASES_TITLE, ":material/folder_open:", "cases", L.NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/map.py", L.MAP_TITLE, ":material/map:", "map", L.NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/accountability.py", L.ACC_TITLE, ":material/gavel:", "accountability", L.NAV_GROUP_VIEWS, Permission.VIEW_CASES),
    View("views/case_import.py", L.IMPORT_TITLE, ":material/upload_file:", "case_import", L.NAV_GROUP_VIEWS, Permission.EDIT_CASES),
    View("views/unit_import.py", L.UNIT_IMPORT_TITLE, ":material/add_location_alt:", "unit_import", L.NAV_GROUP_ADMIN, Permission.MANAGE_UNITS),
    View("views/rules.py", L.RULES_TITLE, ":material/rule:", "rules", L.NAV_GROUP_ADMIN, Permission.MANAGE_RULES),
    View("views/users.py", L.USERS_TITLE, ":material/group:", "users", L.NAV_GROUP_ADMIN, Permission.MANAGE_USERS),
    View("views/audit.py", L.AUDIT_TITLE, ":material/policy:", "audit", L.NAV_GROUP_ADMIN, Permission.VIEW_AUDIT),
    View("views/account.py", L.ACCOUNT_TITLE, ":material/key:", "account", L.NAV_GROUP_ACCOUNT, None),
)


# An emoji favicon is drawn locally; a ":material/…:" page icon would be fetched from fonts.gstatic.com.
st.set_page_config(page_title=L.APP_TITLE, page_icon="🛡️", layout="wide")
def _home() -> None:
    """The bare address: app.py sends the user on to their first view."""


actor = web_session.current_actor()
# Every view is registered under its own path, so the address a user opened (or was sent)
# survives the login, and a view the role may not use answers with the service's refusal.
pages = {v: v.page() for v in VIEWS}
home = st.Page(_home, title=L.APP_TITLE, url_path="home", default=True)
navigation = st.navigation([home, *pages.values()], position="hidden")
if actor is None:
    web_session.login_view()
    st.stop()

allowed = [v for v in VIEWS if v.permission is None or actor.can(v.permission)]
if navigation is home:
    st.switch_page(pages[allowed[0]], query_params=st.query_params.to_dict())
web_session.sidebar(actor, [(v.group, pages[v]) for v in allowed])
navigation.run()
