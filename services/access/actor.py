"""Who is acting: the logged-in user's identity, role and unit, passed to every service call."""

from dataclasses import dataclass

from services.access.permissions import Permission, allowed
from vocabulary import Role


@dataclass(frozen=True)
class Actor:
    """A logged-in user as services see them."""

    user_id: int
    username: str
    display_name: str
    role: Role
    unit_id: int
    unit_path: str
    unit_name: str
    client_addr: str | None = None
    login_session_id: int | None = None  # the browser session acting; None for the CLI and trusted-header sign-in
    wall_device_id: int | None = None  # a wall display signed in by its device token (no account behind it)

    def can(self, permission: Permission) -> bool:
        """Whether this actor's role carries a permission."""
        return allowed(self.role, permission)

    def scope(self) -> "Actor":
        """The same role and unit with no person: what cached figures are keyed by (figures depend on scope only)."""
        return Actor(0, "", "", self.role, self.unit_id, self.unit_path, self.unit_name)

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class AccessDenied(Exception):
    """Refused: the message is Chinese and fit to show the user."""
