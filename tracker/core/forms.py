"""The base form: every text input loses NUL characters (PostgreSQL refuses them) and outer spaces; every
decimal input refuses NaN and Infinity."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

# A text past its limit is refused with this message, never cut (%(length)d is filled in by WTForms).
TOO_LONG = "Too long: %(length)d characters, and the limit is {limit:,}. Shorten it; nothing was saved or cut."


def _clean(value):
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class FiniteDecimalField(DecimalField):
    """A DecimalField that refuses "NaN", "Infinity" and "sNaN" (the last one crashes NumberRange)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError("Enter a number, such as 25 or 25.50.")


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if unbound_field.field_class.__name__ in ("StringField", "TextAreaField", "EmailField", "URLField",
                                                       "SearchField", "TelField"):
                filters.append(_clean)
            validators = unbound_field.kwargs.get("validators") or \
                (unbound_field.args[1] if len(unbound_field.args) > 1 else ())
            for validator in validators or ():
                if isinstance(validator, Length) and validator.max > 0 and validator.message is None:
                    validator.message = TOO_LONG.format(limit=validator.max)
            if unbound_field.field_class is DecimalField:
                unbound_field = UnboundField(FiniteDecimalField, *unbound_field.args, name=unbound_field.name,
                                             **unbound_field.kwargs)
            return unbound_field.bind(form=form, filters=filters, **options)


def form_status(form) -> int:
    """422 when a form comes back with errors (a refusal a script or a test can tell from a page), else 200."""
    return 422 if form.errors or form.form_errors else 200
