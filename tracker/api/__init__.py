"""The JSON API at /api/v1: token or session authentication, one module per resource, an OpenAPI document."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from tracker.api import (  # noqa: E402  (the route modules attach themselves to bp)
    agencies,  # noqa: F401
    batches,  # noqa: F401
    board,  # noqa: F401
    deadlines,  # noqa: F401
    exports,  # noqa: F401
    mail,  # noqa: F401
    mail_out,  # noqa: F401
    matters,  # noqa: F401
    openapi,  # noqa: F401
    requests,  # noqa: F401
    search,  # noqa: F401
    stories,  # noqa: F401
)
from tracker.api.auth import init_auth  # noqa: E402
from tracker.api.errors import init_errors  # noqa: E402

init_auth(bp)
init_errors(bp)
from tracker.api.idempotency import init_idempotency  # noqa: E402

init_idempotency(bp)  # after init_auth: it needs the caller
