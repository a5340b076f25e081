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

from tracker import deadlines
from tracker.core.forms import BaseForm
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.status import (
    APPEAL_OUTCOMES,
    CHANNELS,
    DECISION_OUTCOMES,
    EXPEDITED_CATEGORIES,
    FEE_CATEGORIES,
    OUTCOMES,
    REFERRAL_SCOPES,
)

MONEY = [Optional(), NumberRange(min=0, max=10_000_000, message="Enter an amount of 0 or more.")]
PAGES = [Optional(), NumberRange(min=0, max=10_000_000, message="Enter a page count of 0 or more.")]


class RequestForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)],
                        description="The newsroom's short name, e.g. “OPR report, Denver ‘death card’ inquiry”.")
    agency_id = SelectField("Agency", coerce=int, validators=[DataRequired(message="Choose an agency.")])
    subject = StringField("Subject the agency sees", validators=[Length(max=300)],
                          description="Used in letters, portal text and emails instead of the title. "
                                      "Leave empty for a neutral description of the records.")
    matter_ids = SelectMultipleField("OPR matters this request seeks", coerce=int, validate_choice=True,
                                     render_kw={"data-picker": "1", "data-placeholder": "Type to find a matter"})
    watcher_ids = SelectMultipleField("Watchers (colleagues who follow it)", coerce=int,
                                      render_kw={"data-picker": "1", "data-placeholder": "Type a colleague's name"})
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
    deadline_variant = SelectField(
        "Kind of request (state deadlines)", default="",
        description="Some states give some kinds of request their own periods; leave “Ordinary request” otherwise.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline_variant.choices = variant_choices()

    def validate_records_to(self, field):
        if field.data and self.records_from.data and field.data < self.records_from.data:
            raise ValidationError("The end of the date range is before its start.")


def variant_choices() -> list[tuple[str, str]]:
    """'Ordinary request', then each state's kinds of request with their own periods."""
    out = [("", "Ordinary request")]
    for j in deadlines.jurisdictions():
        out += [(v.key, f"{j.name}: {v.label}") for v in j.variants]
    return out


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
                                                                  for e in EXEMPTIONS.values()],
                                     render_kw={"data-checkboxes": "exemptions"})
    pages_released = IntegerField("Pages released", validators=PAGES)
    pages_withheld = IntegerField("Pages withheld", validators=PAGES)
    amount = DecimalField("Amount (USD)", places=2, validators=MONEY)
    our_answer_due_on = DateField("Agency wants our answer by", validators=[Optional()])
    note = TextAreaField("Note", validators=[Length(max=20000)])
    subject = StringField("Subject of the letter or message", validators=[Length(max=500)])
    body = TextAreaField("Text of the letter or message", validators=[Length(max=200000)])
    files = MultipleFileField("Attach documents")
    documents = FieldList(FormField(DocumentRowForm), min_entries=3, max_entries=50)  # Vaughn index rows
    # determine: the appeal instructions the agency's letter gives (they win over the agency directory)
    appeal_office = StringField("Appeal to (office named in the letter)", validators=[Length(max=300)])
    appeal_address = TextAreaField("Appeal mailing address", validators=[Length(max=2000)])
    appeal_email = StringField("Appeal email address", validators=[Length(max=320)])
    appeal_portal_url = StringField("Appeal portal URL", validators=[Length(max=500)])
    appeal_deadline_stated = StringField("Deadline to appeal, as the letter states it", validators=[Length(max=300)],
                                         description="E.g. “within 90 working days of the date of this letter”.")
    estimated_completion_on = DateField("Agency's estimated completion date", validators=[Optional()],
                                        description="If the letter gives one: the agency owes it, "
                                                    "5 U.S.C. 552(a)(7)(B). You get a reminder when it passes.")
    # refer: where the records went, and how much of them (the service checks both)
    scope = SelectField("What was referred", choices=[("", "Choose…")] + list(REFERRAL_SCOPES.items()),
                        validators=[Optional()],
                        description="A referral of all the records stops this agency's own clock; "
                                    "a referral of part leaves it running.")
    agency_id = SelectField("Referred to", coerce=lambda v: int(v) if str(v).isdecimal() and len(str(v)) < 10 else 0,
                            choices=[], validate_choice=False, validators=[Optional()])

    def set_outcomes(self, action_name: str) -> None:
        outcomes = DECISION_OUTCOMES.get(action_name) or (APPEAL_OUTCOMES if action_name == "decide_appeal"
                                                          else OUTCOMES)
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


class EstimateForm(BaseForm):
    """The agency's estimated completion date from a letter that is no lifecycle step (e.g. a status reply)."""

    estimated_completion_on = DateField("Estimated completion date",
                                        validators=[DataRequired(message="Give the date the agency estimates.")])
    on = DateField("Given on", validators=[DataRequired(message="Give the date of the letter.")],
                   description="The date of the letter or message that gave it.")
