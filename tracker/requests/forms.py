"""Forms for requests, their lifecycle actions and communications."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from tracker.core.forms import BaseForm
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.status import APPEAL_OUTCOMES, CHANNELS, EXPEDITED_CATEGORIES, FEE_CATEGORIES, OUTCOMES

MONEY = [Optional(), NumberRange(min=0, max=10_000_000, message="Enter an amount of 0 or more.")]
PAGES = [Optional(), NumberRange(min=0, max=10_000_000, message="Enter a page count of 0 or more.")]


class RequestForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)],
                        description="The newsroom's short name, e.g. “OPR report, Denver ‘death card’ inquiry”.")
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired(message="Choose an agency.")])
    matter_ids = SelectMultipleField("OPR matters this request seeks", coerce=int, validate_choice=True)
    watcher_ids = SelectMultipleField("Watchers (colleagues who follow it)", coerce=int)
    private = BooleanField("Private: only me, watchers and editors can see it")
    records_description = TextAreaField("Records sought", validators=[Length(max=20000)],
                                        description="Describe the records so the agency can find them.")
    records_from = DateField("Records from", validators=[Optional()])
    records_to = DateField("Records to", validators=[Optional()])
    delivery_format = StringField("Delivery format", validators=[Length(max=100)])
    fee_category = SelectField("Fee category", choices=list(FEE_CATEGORIES.items()))
    fee_limit = DecimalField("Fee ceiling (USD)", places=2, validators=MONEY,
                             description="The most you agree to pay without being asked first.")
    fee_waiver_requested = BooleanField("Ask for a fee waiver")
    fee_waiver_justification = TextAreaField("Why disclosure serves the public interest",
                                             validators=[Length(max=20000)])
    expedited_requested = BooleanField("Ask for expedited processing")
    expedited_category = SelectField("Expedited category (6 CFR 5.5(e)(1))",
                                     choices=list(EXPEDITED_CATEGORIES.items()))
    expedited_justification = TextAreaField("Why it is urgent", validators=[Length(max=20000)])
    follow_up_on = DateField("Follow up on", validators=[Optional()],
                             description="For laws that set no deadline (“promptly”): when to follow up.")

    def validate_records_to(self, field):
        if field.data and self.records_from.data and field.data < self.records_from.data:
            raise ValidationError("The end of the date range is before its start.")


class DocumentRowForm(Form):
    """One row of a Vaughn index (see documents.py); a row left empty is ignored."""

    description = StringField("Document", validators=[Length(max=500)])
    pages = IntegerField("Pages", validators=PAGES)
    withheld_in_full = IntegerField("Withheld in full", validators=PAGES)
    withheld_in_part = IntegerField("Withheld in part", validators=PAGES)
    exemptions = StringField("Exemptions", validators=[Length(max=200)])


class VaughnForm(BaseForm):
    documents = FieldList(FormField(DocumentRowForm), min_entries=3, max_entries=50)


class ActionForm(BaseForm):
    """Every field an action may need; the page shows only the fields of the chosen action."""

    on = DateField("Date", validators=[Optional()])
    received_on = DateField("Date the agency received it", validators=[Optional()],
                            description="Leave empty if the same day (portal, email, fax) or not yet known (mail).")
    channel = SelectField("How", choices=[("", "Choose…")] + list(CHANNELS.items()), validators=[Optional()])
    tracking_number = StringField("Tracking number", validators=[Length(max=100)])
    outcome = SelectField("Outcome", choices=[("", "Choose…")], validators=[Optional()])
    exemptions = SelectMultipleField("Exemptions cited", choices=[(e.code, f"{e.short} {e.description}")
                                                                  for e in EXEMPTIONS.values()])
    pages_released = IntegerField("Pages released", validators=PAGES)
    pages_withheld = IntegerField("Pages withheld", validators=PAGES)
    amount = DecimalField("Amount (USD)", places=2, validators=MONEY)
    our_answer_due_on = DateField("Agency wants our answer by", validators=[Optional()])
    note = TextAreaField("Note", validators=[Length(max=20000)])
    subject = StringField("Subject of the letter or message", validators=[Length(max=500)])
    body = TextAreaField("Text of the letter or message", validators=[Length(max=200000)])
    files = MultipleFileField("Attach documents")
    documents = FieldList(FormField(DocumentRowForm), min_entries=3, max_entries=50)  # Vaughn index rows

    def set_outcomes(self, action_name: str) -> None:
        outcomes = APPEAL_OUTCOMES if action_name == "decide_appeal" else OUTCOMES
        self.outcome.choices = [("", "Choose…")] + list(outcomes.items())


class CommunicationForm(BaseForm):
    direction = SelectField("Direction", choices=[("in", "From the agency"), ("out", "To the agency")])
    channel = SelectField("How", choices=list(CHANNELS.items()))
    occurred_on = DateField("Date", validators=[DataRequired(message="Give the date.")])
    subject = StringField("Subject", validators=[Length(max=500)])
    body = TextAreaField("Text", validators=[Length(max=200000)])
    files = MultipleFileField("Attach documents")


class UploadForm(BaseForm):
    files = MultipleFileField("Documents", validators=[DataRequired(message="Choose a file.")])
