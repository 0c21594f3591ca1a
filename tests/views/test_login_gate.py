"""The sign-in gate through the whole app (AppTest): an unreachable database is a Chinese message, then recovers."""

from streamlit.testing.v1 import AppTest

from tests.views.conftest import APP


def test_an_unreachable_database_gets_a_chinese_message_and_the_next_run_recovers(monkeypatch, demo_db_url):
    monkeypatch.setenv("FANZHA_DATABASE_URL", "postgresql://postgres@127.0.0.1:9/nothing")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["暂时无法连接数据库，请稍后重试；如持续出现请联系系统管理员。"]
    monkeypatch.setenv("FANZHA_DATABASE_URL", demo_db_url)
    at.run()
    assert not at.exception and not at.error
    assert any(t.value == "登录反诈指挥台" for t in at.title)
