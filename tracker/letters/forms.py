"""Forms for letters: the choices for one letter, and recording a letter as sent."""

from __future__ import annotations

from wtforms import BooleanField, DateField, DecimalField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from tracker.core.forms import BaseForm
from tracker.letters.options import APPEAL_KINDS, LetterOptions
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.status import CHANNELS, EXPEDITED_CATEGORIES

TEXT = [Length(max=20000)]
# Grounds of an appeal besides exemptions, each with its argument in letter_templates/appeal/arguments/.
OTHER_GROUNDS = {"fee_waiver": "The denial of the fee waiver", "fee_category": "The fee category given",
                 "expedite": "The denial of expedited processing"}
LETTER_CHANNELS = [("portal", "Agency web portal (paste the text)"), ("email", "Email"), ("mail", "Mail"),
                   ("fax", "Fax")]

# The fields each kind asks for, by section; a newsroom's own kind gets every request field.
SECTIONS = {
    "records": ["records_description", "date_range_start", "date_range_end", "delivery_format", "records_office"],
    "fees": ["fee_limit", "media_description", "fee_waiver_requested", "waiver_operations", "waiver_informative",
             "waiver_audience", "waiver_significance", "waiver_commercial", "fee_waiver_justification"],
    "expedited": ["expedited_requested", "expedited_category", "expedited_justification", "expedited_public_need",
                  "expedited_why_now"],
    "appeal": ["confirm_second_appeal", "determination_kind", "contested", "contest_search", "records_office"],
    "dispute": ["history", "dispute_summary", "resolution_sought"],
}
KIND_SECTIONS = {
    "foia_request": ["records", "fees", "expedited"],
    "state_request": ["records", "fees"],
    "status_inquiry": [],
    "appeal": ["appeal"],
    "ogis_mediation": ["dispute"],
    "expedite_request": ["expedited"],
    "agency_status": [],
}
OWN_KIND_SECTIONS = ["records", "fees", "expedited"]
SECTION_TITLES = {"records": "The records", "fees": "Fees", "expedited": "Expedited processing",
                  "appeal": "The appeal", "dispute": "The dispute"}
STATE_HIDDEN = {"media_description", "fee_waiver_requested", "fee_waiver_justification", "waiver_operations",
                "waiver_informative", "waiver_audience", "waiver_significance", "waiver_commercial", "records_office"}


def sections_for(kind: str) -> list[tuple[str, list[str]]]:
    """(title, field names) for the kind's form, in order."""
    out = []
    for key in KIND_SECTIONS.get(kind, OWN_KIND_SECTIONS):
        names = [n for n in SECTIONS[key] if not (kind == "state_request" and n in STATE_HIDDEN)]
        if kind == "expedite_request":
            names = [n for n in names if n != "expedited_requested"]
        out.append((SECTION_TITLES[key], names))
    return out


class LetterForm(BaseForm):
    channel = SelectField("How will you send it?", choices=LETTER_CHANNELS,
                          description="Sets the line under the address: the portal, the email address, or none.")
    requester_name = StringField("Your name", validators=[Length(max=200)])
    requester_title = StringField("Your title", validators=[Length(max=200)],
                                  description="For example “Investigative Reporter”.")
    requester_email = StringField("Your email address", validators=[Length(max=320)])
    requester_phone = StringField("Your phone number", validators=[Length(max=60)])
    records_description = TextAreaField(
        "Records sought", validators=TEXT,
        description="Blank lines separate paragraphs; lines starting with “1.” or “-” become lists.")
    date_range_start = DateField("Records from", validators=[Optional()])
    date_range_end = DateField("Records to", validators=[Optional()])
    delivery_format = StringField("Form of the records", validators=[Length(max=200)],
                                  description="Completes “Please provide the records in electronic form, as …”.")
    fee_limit = DecimalField("Fee ceiling (USD)", places=2,
                             validators=[Optional(), NumberRange(min=0, max=10_000_000,
                                                                 message="Enter an amount of 0 or more.")])
    media_description = TextAreaField("About your publication", validators=TEXT,
                                      description="Optional: who publishes your work and to what audience.")
    fee_waiver_requested = BooleanField("Ask for a fee waiver", description="5 U.S.C. 552(a)(4)(A)(iii).")
    fee_waiver_justification = TextAreaField(
        "More on the public interest (optional)", validators=TEXT,
        description="Added after the factors below; it does not replace them.")
    # The fee-waiver factors of 6 C.F.R. 5.11(k)(2)-(3): the reporter's facts, or the standard words if empty.
    waiver_operations = TextAreaField("Which operations or activities of the government the records concern",
                                      validators=TEXT, description="Empty: how the office handled the matter.")
    waiver_informative = TextAreaField("Why disclosure would be meaningfully informative", validators=TEXT,
                                       description="Empty: “what the records show has not been made public”.")
    waiver_audience = TextAreaField("How you will reach a broad audience", validators=TEXT,
                                    description="Your outlet, its readers, how you will publish.")
    waiver_significance = TextAreaField("Why the public's understanding will grow significantly", validators=TEXT)
    waiver_commercial = TextAreaField("Your commercial interest, if any", validators=TEXT,
                                      description="Empty: “I seek them for news reporting, which is not a "
                                                  "commercial use”.")
    records_office = StringField("Office that holds the records", validators=[Length(max=300)],
                                 description="As the letter names it, e.g. “the ICE Office of Professional "
                                             "Responsibility”. From the agency directory; empty: the agency.")
    expedited_requested = BooleanField("Ask for expedited processing", description="5 U.S.C. 552(a)(6)(E).")
    # Not every kind shows these two: an absent value is blank, checked in options().
    expedited_category = SelectField("Category (6 C.F.R. 5.5(e)(1))", choices=list(EXPEDITED_CATEGORIES.items()),
                                     validate_choice=False)
    expedited_justification = TextAreaField(
        "Why it is urgent, in detail", validators=TEXT,
        description="(i) the threat to life or safety; (ii) the urgency; (iii) the due-process rights at stake; "
                    "(iv) the media interest and the questions about the government's integrity. The letter adds "
                    "the certification the statute requires.")
    expedited_public_need = TextAreaField("What the public needs to know, and why (category (ii))", validators=TEXT,
                                          description="Completes “The public needs this information because …”.")
    expedited_why_now = TextAreaField("Why now: the event or date that makes it urgent", validators=TEXT,
                                      description="Completes “It is urgent now because …”.")
    confirm_second_appeal = BooleanField("Yes, file another appeal",
                                         description="An appeal of this request is already on file.")
    determination_kind = SelectField("What you appeal", choices=[("", "Choose…")] + list(APPEAL_KINDS.items()),
                                     validate_choice=False)
    contested = SelectMultipleField("What you contest",
                                    choices=[(e.code, f"{e.short} {e.description}") for e in EXEMPTIONS.values()]
                                    + list(OTHER_GROUNDS.items()),
                                    description="Each gets its argument block.",
                                    render_kw={"data-checkboxes": "exemptions"})
    contest_search = BooleanField("Contest the adequacy of the search")
    history = TextAreaField("History of the request", validators=TEXT,
                            description="One event per line: the date (YYYY-MM-DD), a colon, what happened.")
    dispute_summary = TextAreaField("The dispute, in a few sentences", validators=TEXT)
    resolution_sought = TextAreaField("What you ask OGIS to do", validators=TEXT)
    enclosures = TextAreaField("Enclosures, one per line", validators=TEXT)
    custom_text = TextAreaField("Your own paragraphs", validators=TEXT,
                                description="Added before the closing. Blank lines separate paragraphs.")

    def validate_date_range_end(self, field):
        if field.data and self.date_range_start.data and field.data < self.date_range_start.data:
            raise ValidationError("The end of the date range is before its start.")

    def load(self, options: LetterOptions) -> None:
        for name, value in options.to_json().items():
            if name in self._fields and name not in ("date_range_start", "date_range_end", "fee_limit"):
                self._fields[name].data = value
        self.date_range_start.data = options.date_range_start
        self.date_range_end.data = options.date_range_end
        self.fee_limit.data = options.fee_limit

    def options(self, arguments: dict[str, str]) -> LetterOptions:
        values = {name: self._fields[name].data for name in LetterOptions.__dataclass_fields__
                  if name in self._fields}
        for name, value in values.items():
            if isinstance(self._fields[name], StringField | SelectField) and value is None:
                values[name] = ""
        for name in ("fee_limit", "date_range_start", "date_range_end"):
            if self._fields[name].errors:  # refused: the preview of an invalid form goes without it
                values[name] = None
        if values["expedited_category"] not in EXPEDITED_CATEGORIES:
            values["expedited_category"] = ""
        if values["determination_kind"] not in APPEAL_KINDS:
            values["determination_kind"] = ""
        return LetterOptions(**values, arguments=arguments)


class SentForm(BaseForm):
    on = DateField("Date sent", validators=[DataRequired(message="Give the date it was sent.")])
    channel = SelectField("How", choices=list(CHANNELS.items()))
    received_on = DateField("Date the agency received it", validators=[Optional()],
                            description="Leave empty if the same day (portal, email, fax) or not yet known (mail).")
    tracking_number = StringField("Tracking number, if the agency gave one", validators=[Length(max=100)])
    move_on = BooleanField("Also record this on the request")
    note = TextAreaField("Note", validators=[Length(max=2000)])
