"""Forms of the outgoing half of the mailbox: sending a letter by email, a step that is not a lifecycle
action, and uploading the agency's letter."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from tracker.core.forms import BaseForm
from tracker.requests.status import CHANNELS


class EmailLetterForm(BaseForm):
    to = StringField("To", validators=[Length(max=320)], description="The agency's FOIA address; change it if needed.")
    cc = StringField("Cc", validators=[Length(max=2000)], description="Separate addresses with commas.")
    move_on = BooleanField("Also record the appeal or the mediation request")
    note = TextAreaField("Note for the timeline", validators=[Length(max=20000)])


class EditStepForm(BaseForm):
    on = DateField("Date", validators=[Optional()])
    tracking_number = StringField("Appeal number", validators=[Length(max=100)])


class AgencyLetterForm(BaseForm):
    file = FileField("The agency's letter (PDF)", validators=[FileRequired(message="Choose the PDF.")])
    channel = SelectField("How it came", choices=[(k, v) for k, v in CHANNELS.items()
                                                  if k in ("portal", "email", "mail", "fax")], default="portal")
    occurred_on = DateField("Date it came", validators=[Optional()],
                            description="Leave empty for today.")
