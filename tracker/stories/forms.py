"""The form for recording or changing a published story."""

from __future__ import annotations

from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.forms import BaseForm


class DocumentsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # the service says which document is not allowed, in words
        pass


class StoryForm(BaseForm):
    headline = StringField("Headline", validators=[Length(max=300)], description="As published.")
    url = StringField("Web address", validators=[Length(max=1000)],
                      description="Where the story is published, starting with https://.")
    published_on = DateField("Published on", validators=[Optional()],
                             description="The day it was published (not a future day).")
    note = TextAreaField("Note", validators=[Length(max=20000)],
                         description="What the records showed, for colleagues (optional).")
    document_ids = DocumentsField("Documents the story used", coerce=int, validate_choice=False)
