"""The base form: every text input loses NUL characters (PostgreSQL refuses them) and outer spaces."""

from __future__ import annotations

from flask_wtf import FlaskForm


def _clean(value):
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if unbound_field.field_class.__name__ in ("StringField", "TextAreaField", "EmailField", "URLField",
                                                       "SearchField", "TelField"):
                filters.append(_clean)
            return unbound_field.bind(form=form, filters=filters, **options)
