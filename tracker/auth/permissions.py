"""Who may see and change what. Every route asks here; nothing decides on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.core.errors import Forbidden

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.requests.models import RecordsRequest


def can_view_request(user: User, req: RecordsRequest) -> bool:
    """Newsroom-wide reading by default; a private request only for its owner, watchers and editors."""
    if not user.is_authenticated or not user.active:
        return False
    if user.is_editor or req.owner_id == user.id:
        return True
    if req.private:
        return any(w.id == user.id for w in req.watchers)
    return True


def can_act_on_request(user: User, req: RecordsRequest) -> bool:
    """Reporters act on their own and watched requests; editors on all."""
    if not user.is_authenticated or not user.active:
        return False
    if user.is_editor or req.owner_id == user.id:
        return True
    return any(w.id == user.id for w in req.watchers)


def require_view(user: User, req: RecordsRequest) -> None:
    if not can_view_request(user, req):
        raise Forbidden("This request is private to its owner and editors.")


def require_act(user: User, req: RecordsRequest) -> None:
    require_view(user, req)
    if not can_act_on_request(user, req):
        raise Forbidden("Only the request's owner, its watchers and editors can change it.")


def require_editor(user: User) -> None:
    if not user.is_editor:
        raise Forbidden("Only editors can do this.")


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Only administrators can do this.")
