"""Who may record, change and remove a story.

On a request: whoever may act on it (its owner, its watchers, editors: requests/access.py). On a matter: whoever
may change the matter (the reporter who recorded it, editors: matters/access.py). A story already recorded:
editors, the one who recorded it, and whoever may act on a request or change a matter it is linked to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.core.errors import Forbidden
from tracker.matters import access as matter_access
from tracker.requests import access as request_access

if TYPE_CHECKING:
    from tracker.auth.models import User
    from tracker.stories.models import Story

NOT_YOURS = ("Only editors, the one who recorded this story, and those who may change a request or matter it is "
             "linked to can change it.")


def can_change(user: User, story: Story) -> bool:
    if request_access.viewer_kind(user) == "none":
        return False
    if user.is_editor or (story.created_by_id is not None and story.created_by_id == user.id):
        return True
    return (any(request_access.can_act(user, r) for r in story.requests)
            or any(matter_access.can_change(user, m) for m in story.matters))


def require_change(user: User, story: Story) -> None:
    if not can_change(user, story):
        raise Forbidden(NOT_YOURS)


def can_see(user: User, story: Story) -> bool:
    """A story is published, so its headline is no secret; but one linked only to requests this user may not
    see would confirm that they exist: such a story is shown only to those who may see one of them."""
    if request_access.viewer_kind(user) == "none":
        return False
    if story.matters or not story.requests:
        return True
    return any(request_access.can_view(user, r) for r in story.requests)
