from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.forms import BaseForm


class AgencyForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=300)])
    abbreviation = StringField("Abbreviation", validators=[Length(max=40)])
    parent_id = SelectField("Part of", coerce=int, validators=[Optional()])
    jurisdiction = SelectField("Jurisdiction (selects the deadline rules)")
    foia_email = StringField("FOIA office email", validators=[Length(max=320)])
    portal_url = StringField("Request portal URL", validators=[Length(max=500)])
    mailing_address = TextAreaField("Mailing address", validators=[Length(max=2000)])
    phone = StringField("Phone", validators=[Length(max=60)])
    public_liaison = TextAreaField("FOIA Public Liaison", validators=[Length(max=2000)])
    appeal_office = StringField("Appeal office", validators=[Length(max=300)])
    appeal_address = TextAreaField("Appeal address", validators=[Length(max=2000)])
    appeal_email = StringField("Appeal email address", validators=[Length(max=320)])
    appeal_portal_url = StringField("Appeal portal URL", validators=[Length(max=500)])
    appeal_check = BooleanField("Check: the appeal contact is unconfirmed (letters say so until it is confirmed)")
    expedited_iv_office_id = SelectField("Expedited requests of category (iv) go to", coerce=int,
                                         validators=[Optional()])
    portal_only = BooleanField("Takes requests only through its portal (no email)")
    mail_domains = StringField("Mail domains its staff write from, separated by commas (e.g. ice.dhs.gov, dhs.gov)",
                               validators=[Length(max=2000)])
    notes = TextAreaField("Notes", validators=[Length(max=20000)])
    observed_days = TextAreaField(
        "Days this agency closes that its state lets it choose", validators=[Length(max=2000)],
        description="One per line. Texas: the optional holidays it observes (Cesar Chavez Day, Good Friday) and its "
                    "own non-business days as YYYY-MM-DD. Deadlines count them as closed days.")
