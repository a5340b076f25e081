"""The base form: every text input loses NUL characters (PostgreSQL refuses them) and outer spaces; every
decimal input refuses NaN and Infinity."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.fields.core import UnboundField


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
            if unbound_field.field_class is DecimalField:
                unbound_field = UnboundField(FiniteDecimalField, *unbound_field.args, name=unbound_field.name,
                                             **unbound_field.kwargs)
            return unbound_field.bind(form=form, filters=filters, **options)


def form_status(form) -> int:
    """422 when a form comes back with errors (a refusal a script or a test can tell from a page), else 200."""
    return 422 if form.errors or form.form_errors else 200


def place_errors(form, exc) -> None:
    """Show a service's refusal on the fields it names; a message that fits no field goes above the form,
    and if none fits, the refusal's own message."""
    placed, loose = False, []
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
            placed = True
        else:
            loose.append(message)
    form.form_errors.extend(loose if placed else [exc.message])
