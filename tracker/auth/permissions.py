"""Role checks: what only editors or administrators may do. Who may see and act on a request is the one rule
in tracker/requests/access.py; who may change a matter, in tracker/matters/access.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.core.errors import Forbidden

if TYPE_CHECKING:
    from tracker.auth.models import User


def require_editor(user: User) -> None:
    if not user.is_editor:
        raise Forbidden("Only editors can do this.")


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Only administrators can do this.")
