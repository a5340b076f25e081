"""Forms of the reminder pages."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.forms import BaseForm
from tracker.reminders.rules import DEFAULT_RULES, MAX_STEP, OTHER_KINDS
from tracker.reminders.settings import MODES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PreferenceForm(BaseForm):
    mode = RadioField("How reminders reach you", choices=list(MODES.items()), default="immediate",
                      validators=[InputRequired(message="Choose immediate emails or a daily digest.")])
    # Ticked: the kinds you get (the preference stores the ones left unticked, as muted_kinds).
    wanted_kinds = MultiCheckboxField("Reminders you get",
                                      choices=[(r.key, r.label) for r in DEFAULT_RULES] + list(OTHER_KINDS.items()),
                                      validate_choice=True,
                                      description="Untick a kind to stop it. Every kind is on until you untick it.")
    newsroom_digest = BooleanField("Each morning, the newsroom's overdue and closing deadlines (editors)")
    colleagues_digest = BooleanField("Each Monday, the requests colleagues filed the week before",
                                     description="Only requests you can see; so that nobody asks an agency twice.")


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
