"""The Chinese uploader style: drop text with the limit, the button label, remove buttons left alone."""

from streamlit.testing.v1 import AppTest


def _app():
    import streamlit as st

    from components.uploads import chinese_uploader

    with st.container(key="demo_uploader"):
        chinese_uploader("demo_uploader", "将照片拖到这里（每张不超过 5 MB）", "选择照片")
        st.file_uploader("照片", accept_multiple_files=True, key="demo_files")


def test_the_uploader_is_restyled_in_chinese_inside_its_container_only():
    at = AppTest.from_function(_app).run()
    assert not at.exception
    style = str(at.get("html")[0].proto.body)
    assert '.st-key-demo_uploader [data-testid=\'stFileUploaderDropzone\']' in style
    assert 'content: "将照片拖到这里（每张不超过 5 MB）"' in style
    assert "button:not([data-testid='stBaseButton-minimal'])::after { content: \"选择照片\"" in style
