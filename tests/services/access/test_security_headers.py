"""The security headers: a CSP that allows only this host (and the configured tile server) and Streamlit's own page."""

from services.access.security_headers import INDEX_HTML, content_security_policy, inline_script_hashes, security_headers


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_only_this_host_no_framing_elsewhere_no_plugins():
    policy = _directives(content_security_policy(None))
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


def test_streamlits_inline_bootstrap_is_allowed_by_its_hash():
    [digest] = inline_script_hashes("<html><script>\n  window.x = 1\n</script></html>")
    assert digest == "'sha256-" + __import__("base64").b64encode(
        __import__("hashlib").sha256(b"\n  window.x = 1\n").digest()).decode() + "'"
    assert all(h in content_security_policy(None) for h in inline_script_hashes(INDEX_HTML.read_text()))


def test_the_intranet_tile_server_is_the_only_other_origin():
    policy = _directives(content_security_policy("http://tiles.gaj.local:8080/{z}/{x}/{y}.png"))
    assert policy["img-src"][-1] == "http://tiles.gaj.local:8080" and policy["connect-src"][-1] == "http://tiles.gaj.local:8080"


def test_every_answer_carries_the_headers():
    headers = security_headers(None)
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "SAMEORIGIN"
