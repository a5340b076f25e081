"""Imports every domain's models so the metadata (and Alembic) knows every table."""

from tracker.agencies.models import Agency  # noqa: F401
from tracker.auth.api_tokens import ApiToken  # noqa: F401
from tracker.auth.models import User  # noqa: F401
from tracker.board.models import BoardShare  # noqa: F401
from tracker.imports.models import ImportMapping, ImportUpload  # noqa: F401
from tracker.letters.models import Letter  # noqa: F401
from tracker.matters.models import Matter, MatterStateOverride, Source  # noqa: F401
from tracker.reminders.models import (  # noqa: F401
    CalendarToken,
    OutboxMessage,
    Reminder,
    ReminderPlan,
    ReminderPreference,
    ReminderRule,
    ReminderState,
)
from tracker.requests.documents import DeterminationDocument  # noqa: F401
from tracker.requests.models import (  # noqa: F401
    Attachment,
    AuditEntry,
    Communication,
    Determination,
    Event,
    RecordsRequest,
    TolledSpan,
    TrackingNumber,
)
