"""Forms of the reminder pages."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.forms import BaseForm
from tracker.reminders.rules import DEFAULT_RULES, MAX_STEP
from tracker.reminders.settings import MODES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PreferenceForm(BaseForm):
    mode = RadioField("How reminders reach you", choices=list(MODES.items()), default="immediate",
                      validators=[InputRequired(message="Choose immediate emails or a daily digest.")])
    muted_kinds = MultiCheckboxField("Kinds you do not want", choices=[(r.key, r.label) for r in DEFAULT_RULES],
                                     validate_choice=True)
    newsroom_digest = BooleanField("Each morning, the newsroom's overdue and closing deadlines (editors)")


class RuleForm(BaseForm):
    enabled = BooleanField("On")
    steps = StringField("When (working days from the date; negative: before it)",
                        validators=[InputRequired(message="Give at least one number of working days."),
                                    Length(max=100)])
    repeat_every = IntegerField("Then again every N working days while it holds (empty: no repeat)",
                                validators=[Optional(), NumberRange(min=1, max=MAX_STEP,
                                                                    message=f"From 1 to {MAX_STEP}.")])


class FeedForm(BaseForm):
    scope = HiddenField(default="mine")


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for buttons that post."""
