"""The HTTP security headers of every answer: a Content-Security-Policy Streamlit works under, no framing elsewhere."""

import base64
import hashlib
import re
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

# Streamlit's own page, found without importing Streamlit (services stay free of it).
INDEX_HTML = Path(find_spec("streamlit").origin).parent / "static" / "index.html"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP hashes of the inline scripts Streamlit's page carries (computed, so an upgrade keeps working)."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in INLINE_SCRIPT.findall(index_html)]


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(tile_url: str | None, index_html: str | None = None) -> str:
    """Same-origin only; the inline bootstrap script by hash; the intranet tile server if one is configured."""
    html = index_html if index_html is not None else INDEX_HTML.read_text(encoding="utf-8")
    tiles = [origin] if (origin := _origin(tile_url)) else []
    directives = {
        "default-src": ["'self'"],
        # blob: is how Streamlit loads a component's script (a module built in the page, never fetched from elsewhere)
        "script-src": ["'self'", "blob:", *inline_script_hashes(html)],
        "style-src": ["'self'", "'unsafe-inline'"],  # Streamlit's styles are injected at run time (CSS-in-JS)
        "img-src": ["'self'", "data:", "blob:", *tiles],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *tiles],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(tile_url: str | None) -> dict[str, str]:
    """Every header the app sends with each answer."""
    return {
        "Content-Security-Policy": content_security_policy(tile_url),
        "X-Frame-Options": "SAMEORIGIN",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
