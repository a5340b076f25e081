from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.core.forms import BaseForm
from tracker.matters.models import MatterCategory


class MatterForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    category = SelectField("Category", choices=[(c.value, c.label) for c in MatterCategory])
    summary = TextAreaField("Summary", validators=[Length(max=20000)])
    opr_case_number = StringField("OPR case number, if known", validators=[Length(max=100)])
    place = StringField("Place", validators=[Length(max=200)])
    began_on = DateField("Began", validators=[Optional()])
    ended_on = DateField("Ended", validators=[Optional()])
    public_outcome = TextAreaField("What is publicly known of the outcome", validators=[Length(max=20000)])
    notes = TextAreaField("Notes (uncertainties, identification)", validators=[Length(max=20000)])

    def validate_ended_on(self, field):
        if field.data and self.began_on.data and field.data < self.began_on.data:
            raise ValidationError("The end is before the beginning.")


class SourceForm(BaseForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=500)])
    publisher = StringField("Publisher", validators=[Length(max=200)])
    url = StringField("URL", validators=[Length(max=1000)])
    published_on = DateField("Published", validators=[Optional()])
    quote = TextAreaField("Quote", validators=[Length(max=20000)])
    official_report = BooleanField("An official public report that discloses the outcome")

    def validate_url(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Give a web address starting with http:// or https://.")
