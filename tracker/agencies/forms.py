from wtforms import SelectField, StringField, TextAreaField
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
    notes = TextAreaField("Notes", validators=[Length(max=20000)])
