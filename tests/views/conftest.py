"""Page-test helpers: run the whole app as a signed-in demo user."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import actor_for_username

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app_as(monkeypatch, demo_db_url):
    """app_as(username, page_path=None, **query) → an AppTest run signed in as that demo user."""

    def run(username: str | None, page: str | None = None, **query) -> AppTest:
        monkeypatch.setenv("FANZHA_DATABASE_URL", demo_db_url)
        at = AppTest.from_file(APP, default_timeout=30)
        if username is not None:
            at.session_state["fanzha_actor"] = actor_for_username(demo_db_url, username)
        if page is not None:
            at.switch_page(page)
        for name, value in query.items():
            at.query_params[name] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return run
