"""The catalog of letter kinds, read from ``letter_templates/<kind>/meta.toml``.

A kind is a folder holding ``template.html``, ``style.css`` and ``meta.toml``. meta.toml says::

    title = "FOIA request (federal)"          # shown in the "Generate letter" menu
    purpose = "..."                           # one sentence under the title
    jurisdictions = ["US", "US-???*"]         # codes it fits; shell patterns ("US-??" = a state)
    order = 10                                # menu order
    instructions = "..."                      # advice for the sender (how to file, what to mark)

    [required]                                # dotted context path = label for the form
    "requester.name" = "Your name"

    [required_when."request.expedited_requested"]   # required only when that path is truthy
    "request.expedited_category" = "Expedited processing category"

Folders whose name starts with "_" (shared partials) are not kinds.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from tracker.letters.filters import is_blank

# Kind names become folder names: keep them to a safe alphabet so "../x" can never be one.
_KIND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class LetterTemplateError(Exception):
    """A letter template, stylesheet or meta.toml is broken; the message says where and why."""


class UnknownLetterKind(LookupError):
    """No letter kind of that name exists in the templates folder."""


@dataclass(frozen=True)
class LetterKind:
    key: str
    title: str
    purpose: str
    folder: Path
    jurisdictions: tuple[str, ...] = ()
    order: int = 100
    instructions: str = ""
    required: dict[str, str] = field(default_factory=dict)
    required_when: dict[str, dict[str, str]] = field(default_factory=dict)

    def fits(self, jurisdiction_code: str) -> bool:
        """Whether this kind applies to a jurisdiction code such as "US", "US-DHS" or "US-CO"."""
        return any(fnmatchcase(jurisdiction_code, pattern) for pattern in self.jurisdictions)

    def label(self, path: str) -> str:
        """The form label of a context path, falling back to the path itself."""
        if path in self.required:
            return self.required[path]
        for fields in self.required_when.values():
            if path in fields:
                return fields[path]
        return path


def letter_templates_dir() -> Path:
    """The repository's top-level ``letter_templates/`` folder (the app may configure another)."""
    return Path(__file__).resolve().parents[2] / "letter_templates"


def _root(templates_dir: str | Path | None) -> Path:
    return Path(templates_dir) if templates_dir is not None else letter_templates_dir()


def _read_meta(key: str, folder: Path) -> LetterKind:
    meta_path = folder / "meta.toml"
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LetterTemplateError(f"{key}/meta.toml cannot be read: {exc}") from exc
    try:
        return LetterKind(
            key=key,
            title=str(meta.get("title", key)),
            purpose=str(meta.get("purpose", "")),
            folder=folder,
            jurisdictions=tuple(str(j) for j in meta.get("jurisdictions", [])),
            order=int(meta.get("order", 100)),
            instructions=str(meta.get("instructions", "")),
            required={str(k): str(v) for k, v in meta.get("required", {}).items()},
            required_when={
                str(cond): {str(k): str(v) for k, v in fields.items()}
                for cond, fields in meta.get("required_when", {}).items()
            },
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise LetterTemplateError(f"{key}/meta.toml has a malformed value: {exc}") from exc


def get_kind(kind: str, templates_dir: str | Path | None = None) -> LetterKind:
    """The kind named ``kind``; UnknownLetterKind if there is no such folder."""
    folder = _root(templates_dir) / kind
    if not _KIND_NAME.match(kind) or not (folder / "template.html").is_file():
        raise UnknownLetterKind(f"no letter kind {kind!r}")
    if not (folder / "meta.toml").is_file():
        raise LetterTemplateError(f"{kind}/meta.toml is missing")
    return _read_meta(kind, folder)


def list_kinds(templates_dir: str | Path | None = None) -> list[LetterKind]:
    """Every kind in the templates folder, in menu order."""
    root = _root(templates_dir)
    if not root.is_dir():
        return []
    kinds = [
        get_kind(folder.name, root)
        for folder in root.iterdir()
        if _KIND_NAME.match(folder.name) and (folder / "template.html").is_file()
    ]
    return sorted(kinds, key=lambda k: (k.order, k.key))


def kinds_for_jurisdiction(code: str, templates_dir: str | Path | None = None) -> list[LetterKind]:
    """The kinds that fit a jurisdiction: "US" or "US-DHS" give the federal letters, "US-CO" the state one."""
    return [k for k in list_kinds(templates_dir) if k.fits(code)]


def lookup(context: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path ("request.determination.on"); None when any step is missing."""
    value: Any = context
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def missing_fields(
    kind: str | LetterKind, context: Mapping[str, Any], templates_dir: str | Path | None = None
) -> list[str]:
    """The required context paths of ``kind`` that are blank in ``context``, in meta.toml order.

    Use ``get_kind(kind).label(path)`` for the words to show next to each.
    """
    spec = kind if isinstance(kind, LetterKind) else get_kind(kind, templates_dir)
    wanted = list(spec.required)
    for condition, fields in spec.required_when.items():
        switch = lookup(context, condition)
        if switch and not is_blank(switch):
            wanted.extend(p for p in fields if p not in wanted)
    return [path for path in wanted if is_blank(lookup(context, path))]
