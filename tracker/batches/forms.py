"""Forms for batches: the shared request fields with several agencies, and the filing of them all."""

from __future__ import annotations

from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.core.forms import BaseForm
from tracker.requests.forms import RequestForm
from tracker.requests.status import CHANNELS


class BatchForm(RequestForm):
    """The new-request form with several agencies instead of one (and no state request kind: set per draft)."""

    agency_id = None
    agency_ids = SelectMultipleField(
        "Agencies", coerce=int, validate_choice=False,
        render_kw={"data-picker": "1", "data-placeholder": "Type to find an agency"},
        description="Each agency gets its own draft: its own letter, clock, tracking number and status.")


class BatchFileForm(BaseForm):
    on = DateField("Date sent", validators=[Optional()])
    channel = SelectField("How", choices=[("", "Choose…")] + [(k, CHANNELS[k]) for k in ("portal", "email", "mail",
                                                                                          "fax")],
                          validators=[Optional()])
    note = TextAreaField("Note", validators=[Length(max=20000)])


class BatchActionForm(BaseForm):
    """The letters and email actions ask nothing but the CSRF token."""
