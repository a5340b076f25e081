"""Imports every domain's models so the metadata (and Alembic) knows every table."""

from tracker.agencies.models import Agency  # noqa: F401
from tracker.auth.models import ApiToken, User  # noqa: F401
from tracker.batches.models import RequestBatch  # noqa: F401
from tracker.board.models import BoardShare  # noqa: F401
from tracker.core.idempotency_models import IdempotencyKey  # noqa: F401
from tracker.core.installation import Installation  # noqa: F401
from tracker.core.mail import OutboxMessage  # noqa: F401
from tracker.core.menus import MenuVersion  # noqa: F401
from tracker.documents.models import DocumentText, SearchEntry  # noqa: F401
from tracker.imports.models import ImportMapping, ImportUpload  # noqa: F401
from tracker.letters.models import Letter  # noqa: F401
from tracker.mail.models import IncomingMessage, MailCursor  # noqa: F401
from tracker.mail.proposal_models import Proposal  # noqa: F401
from tracker.matters.models import Matter, MatterStateOverride, Source  # noqa: F401
from tracker.reminders.models import (  # noqa: F401
    CalendarToken,
    Reminder,
    ReminderPlan,
    ReminderPreference,
    ReminderRule,
    ReminderState,
)
from tracker.requests.models import (  # noqa: F401
    Attachment,
    AuditEntry,
    Communication,
    Determination,
    DeterminationDocument,
    Event,
    RecordsRequest,
    TolledSpan,
    TrackingNumber,
)
from tracker.stories.models import Story  # noqa: F401
