"""Who may change a matter: any reporter records one and adds sources; changing or removing what a matter
already holds is for the one who recorded it and for editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.core.errors import Forbidden

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.matters.models import Matter


def can_change(user: User, matter: Matter) -> bool:
    """Any reporter records a matter and adds sources; changing or removing what a matter already holds is for
    the one who recorded it and for editors."""
    if not user.is_authenticated or not user.active:
        return False
    return user.is_editor or (matter.created_by_id is not None and matter.created_by_id == user.id)


def require_change(user: User, matter: Matter) -> None:
    if not can_change(user, matter):
        raise Forbidden("Only the reporter who recorded this matter and editors can change it.")
