"""A small declarative field system: one spec per JSON body or query string gives both the parser (strict,
every problem reported per field, 422) and the JSON Schema in the OpenAPI document, so the two cannot drift.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tracker.core.converters import MAX_ID  # ids past it are refused
from tracker.core.errors import ValidationFailed

MAX_COUNT = 10_000_000  # pages, the same bound the web forms use
MAX_MONEY = Decimal("10000000")
MISSING = object()


@dataclass(frozen=True)
class Field:
    """One value. kind: string, bool, date, money, int, id, enum, list, object."""

    kind: str
    description: str = ""
    required: bool = False
    nullable: bool = False
    max_length: int | None = None  # strings and lists
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()  # enum
    items: Field | None = None  # list
    fields: dict[str, Field] = field(default_factory=dict)  # object
    default: Any = MISSING  # query parameters: the value when absent
    example: Any = MISSING


def String(max_length: int, description: str = "", **kw) -> Field:
    return Field("string", description, max_length=max_length, **kw)


def Bool(description: str = "", **kw) -> Field:
    return Field("bool", description, **kw)


def Day(description: str = "", **kw) -> Field:
    return Field("date", description, **kw)


def Money(description: str = "", **kw) -> Field:
    return Field("money", description, **kw)


def Count(description: str = "", **kw) -> Field:
    return Field("int", description, minimum=kw.pop("minimum", 0), maximum=kw.pop("maximum", MAX_COUNT), **kw)


def Id(description: str = "", **kw) -> Field:
    return Field("id", description, minimum=1, maximum=MAX_ID, **kw)


def Enum(choices, description: str = "", **kw) -> Field:
    return Field("enum", description, choices=tuple(choices), **kw)


def ListOf(items: Field, description: str = "", max_length: int = 100, **kw) -> Field:
    return Field("list", description, items=items, max_length=max_length, **kw)


def Object(fields: dict[str, Field], description: str = "", **kw) -> Field:
    return Field("object", description, fields=fields, **kw)


# --- parsing ------------------------------------------------------------------------------------------

class Invalid(Exception):
    def __init__(self, message: str):
        self.message = message


MONEY_TEXT = re.compile(r"^\d{1,8}(\.\d{1,2})?$")


def _text(value: Any, f: Field) -> str:
    if not isinstance(value, str):
        raise Invalid("Must be text.")
    if "\x00" in value:
        raise Invalid("The text contains a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("The text is not valid Unicode.") from None
    if f.max_length is not None and len(value) > f.max_length:
        raise Invalid(f"Too long: at most {f.max_length} characters.")
    return value


def _int(value: Any, f: Field) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("Must be a whole number.")
    if f.minimum is not None and value < f.minimum:
        raise Invalid(f"Must be at least {f.minimum}.")
    if f.maximum is not None and value > f.maximum:
        raise Invalid(f"Must be at most {f.maximum}.")
    return value


def _money(value: Any) -> Decimal:
    wrong = "Must be an amount in US dollars, e.g. 25, 25.5 or \"25.50\"."
    if isinstance(value, bool):
        raise Invalid(wrong)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 1e12:
            raise Invalid(wrong)
        cents = round(value * 100)
        if abs(value * 100 - cents) > 1e-6:
            raise Invalid("Use at most two decimal places (cents).")
        amount = Decimal(cents) / 100
    elif isinstance(value, str) and MONEY_TEXT.match(value):
        amount = Decimal(value)
    else:
        raise Invalid(wrong)
    if amount < 0 or amount > MAX_MONEY:
        raise Invalid("Must be between 0 and 10,000,000.")
    return amount.quantize(Decimal("0.01"))


def parse_value(value: Any, f: Field) -> Any:
    if value is None:
        if f.nullable:
            return None
        raise Invalid("Must not be null.")
    if f.kind == "string":
        return _text(value, f)
    if f.kind == "bool":
        if not isinstance(value, bool):
            raise Invalid("Must be true or false.")
        return value
    if f.kind == "date":
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise Invalid("Must be a date written YYYY-MM-DD.")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise Invalid("There is no such date.") from None
    if f.kind == "money":
        return _money(value)
    if f.kind in ("int", "id"):
        return _int(value, f)
    if f.kind == "enum":
        if not isinstance(value, str) or value not in f.choices:
            raise Invalid("Must be one of: " + ", ".join(c or '""' for c in f.choices) + ".")
        return value
    if f.kind == "list":
        if not isinstance(value, list):
            raise Invalid("Must be a list.")
        if f.max_length is not None and len(value) > f.max_length:
            raise Invalid(f"At most {f.max_length} items.")
        out = []
        for number, item in enumerate(value, 1):
            try:
                out.append(parse_value(item, f.items))
            except Invalid as exc:
                raise Invalid(f"Item {number}: {exc.message}") from None
        return out
    if f.kind == "object":
        return parse_object(value, f.fields)
    raise AssertionError(f.kind)


def parse_object(body: Any, spec: dict[str, Field], *, partial: bool = False, prefix: str = "") -> dict:
    """Check a JSON object against `spec`. Unknown keys are refused (a typo must not pass silently)."""
    if not isinstance(body, dict):
        raise ValidationFailed("The body must be a JSON object.", {prefix.rstrip(".") or "body": "Must be an object."})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key in body:
        if key not in spec:
            errors[prefix + str(key)[:100]] = "Unknown field."
    for name, f in spec.items():
        if name not in body:
            if f.required and not partial:
                errors[prefix + name] = "This field is required."
            continue
        try:
            if f.kind == "object":
                out[name] = None if body[name] is None and f.nullable else \
                    parse_object(body[name], f.fields, prefix=f"{prefix}{name}.")
            else:
                out[name] = parse_value(body[name], f)
        except Invalid as exc:
            errors[prefix + name] = exc.message
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed("Some fields are missing or wrong: " + ", ".join(sorted(errors)) + ".", errors)
    return out


def parse_query(args, spec: dict[str, Field]) -> dict:
    """Query parameters are text; convert by kind. Absent ones take their default."""
    errors: dict[str, str] = {str(key)[:100]: "Unknown parameter." for key in args if key not in spec}
    out: dict[str, Any] = {}
    for name, f in spec.items():
        if len(args.getlist(name)) > 1:
            errors[name] = "Give this parameter once."
            continue
        raw = args.get(name)
        if raw is None:
            if f.required:
                errors[name] = "This parameter is required."
            elif f.default is not MISSING:
                out[name] = f.default
            continue
        try:
            if f.kind in ("int", "id"):
                if not re.fullmatch(r"-?\d{1,12}", raw):
                    raise Invalid("Must be a whole number.")
                out[name] = _int(int(raw), f)
            elif f.kind == "bool":
                if raw not in ("true", "false"):
                    raise Invalid("Must be true or false.")
                out[name] = raw == "true"
            else:
                out[name] = parse_value(raw, f)
        except Invalid as exc:
            errors[name] = exc.message
    if errors:
        raise ValidationFailed("Some parameters are wrong: " + ", ".join(sorted(errors)) + ".", errors)
    return out


# --- JSON Schema ----------------------------------------------------------------------------------------

def json_schema(f: Field) -> dict:
    if f.kind == "string":
        schema: dict[str, Any] = {"type": "string", "maxLength": f.max_length}
    elif f.kind == "bool":
        schema = {"type": "boolean"}
    elif f.kind == "date":
        schema = {"type": "string", "format": "date"}
    elif f.kind == "money":
        schema = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 10_000_000, "multipleOf": 0.01},
                            {"type": "string", "pattern": MONEY_TEXT.pattern}]}
    elif f.kind in ("int", "id"):
        schema = {"type": "integer", "minimum": f.minimum, "maximum": f.maximum}
    elif f.kind == "enum":
        schema = {"type": "string", "enum": list(f.choices)}
    elif f.kind == "list":
        schema = {"type": "array", "items": json_schema(f.items), "maxItems": f.max_length}
    elif f.kind == "object":
        schema = object_schema(f.fields)
    else:
        raise AssertionError(f.kind)
    if f.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if f.description:
        schema["description"] = f.description
    if f.example is not MISSING:
        schema["examples"] = [f.example]
    return schema


def object_schema(spec: dict[str, Field], *, partial: bool = False) -> dict:
    schema = {"type": "object", "additionalProperties": False,
              "properties": {name: json_schema(f) for name, f in spec.items()}}
    required = [name for name, f in spec.items() if f.required and not partial]
    if required:
        schema["required"] = required
    return schema


def query_parameters(spec: dict[str, Field]) -> list[dict]:
    params = []
    for name, f in spec.items():
        schema = json_schema(f)
        if f.kind == "money":
            schema = {"type": "string", "pattern": MONEY_TEXT.pattern}
        if f.default is not MISSING:
            schema["default"] = f.default
        schema.pop("description", None)
        params.append({"name": name, "in": "query", "required": f.required, "schema": schema,
                       "description": f.description})
    return params
