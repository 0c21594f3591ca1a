"""Runtime configuration read from the environment or .streamlit/secrets.toml."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from services.access.client_address import Network, parse_trusted_proxies

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "fanzha.db"
# local: accounts and passwords in this database; trusted_header: a reverse proxy authenticates
# users and passes the user name in a header that Streamlit maps to st.user (see README).
AUTH_MODES = {"local", "trusted_header"}


@dataclass(frozen=True)
class Settings:
    """What the app needs to know about its deployment."""

    database_url: str
    demo_on_first_start: bool
    auth_mode: str = "local"
    idle_minutes: int = 30
    # An intranet map tile server ({z}/{x}/{y} template); None: the map draws the jurisdictions only.
    map_tile_url: str | None = None
    # Reverse proxies whose X-Forwarded-For is believed (FANZHA_TRUSTED_PROXIES); none by default.
    trusted_proxies: tuple[Network, ...] = ()
    # Mark the session cookie Secure (only sent over HTTPS): on whenever users reach the app through TLS.
    cookie_secure: bool = False
    # How often an open tab re-checks that its sign-in still holds (FANZHA_SESSION_CHECK_SECONDS).
    session_check_seconds: int = 30
    # How often the wall display (大屏) refreshes its figures (FANZHA_WALL_REFRESH_SECONDS).
    wall_refresh_seconds: int = 60


def _flag(name: str, default: str) -> bool:
    return (_lookup(name) or default).strip().lower() not in {"0", "false", "no", "off"}


def _secrets() -> dict:
    if not SECRETS_FILE.is_file():
        return {}
    with SECRETS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _lookup(name: str) -> str | None:
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    secret = _secrets().get(name)
    return None if secret is None else str(secret)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_settings() -> Settings:
    """Settings from FANZHA_* environment variables, then secrets.toml, then defaults."""
    url = _lookup("FANZHA_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    demo = _flag("FANZHA_DEMO", "1")
    auth_mode = (_lookup("FANZHA_AUTH") or "local").strip().lower()
    if auth_mode not in AUTH_MODES:
        raise ValueError(f"FANZHA_AUTH must be one of {sorted(AUTH_MODES)}, not {auth_mode!r}")
    idle = int(_lookup("FANZHA_IDLE_MINUTES") or 30)
    tiles = _lookup("FANZHA_MAP_TILE_URL")
    if tiles is not None and not all(part in tiles for part in ("{z}", "{x}", "{y}")):
        raise ValueError("FANZHA_MAP_TILE_URL must be a {z}/{x}/{y} tile URL template")
    proxies = parse_trusted_proxies(_lookup("FANZHA_TRUSTED_PROXIES"))
    return Settings(normalise_database_url(url), demo, auth_mode, idle, tiles, proxies,
                    cookie_secure=_flag("FANZHA_COOKIE_SECURE", "0"),
                    session_check_seconds=int(_lookup("FANZHA_SESSION_CHECK_SECONDS") or 30),
                    wall_refresh_seconds=max(2, int(_lookup("FANZHA_WALL_REFRESH_SECONDS") or 60)))
