"""Where letter templates come from: the newsroom's own folder first, then the built-in one.

``TRACKER_LETTER_TEMPLATES_EXTRA`` names a folder laid out like ``letter_templates/`` (one folder per
kind). A kind there with the name of a built-in kind replaces it; a new name adds a kind. Its templates
may extend ``_partials/layout.html``: the folder's own ``_partials/`` if it has one, else the built-in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.letters.catalog import _KIND_NAME, LetterKind, LetterTemplateError, UnknownLetterKind, get_kind


@dataclass(frozen=True)
class Catalog:
    """The kinds a newsroom can write, and the kinds whose meta.toml is broken (shown, not fatal)."""

    kinds: list[LetterKind]
    broken: list[str]

    def fitting(self, jurisdiction_code: str) -> list[LetterKind]:
        return [k for k in self.kinds if k.fits(jurisdiction_code)]


def roots(config: Mapping[str, Any]) -> list[Path]:
    """The template folders in search order."""
    found = []
    extra = (config.get("TRACKER_LETTER_TEMPLATES_EXTRA") or "").strip()
    if extra:
        found.append(Path(extra))
    found.append(Path(config["TRACKER_LETTER_TEMPLATES"]))
    return found


def root_for(kind: str, search: Sequence[Path]) -> Path:
    """The first folder that has ``kind``; UnknownLetterKind if none does."""
    if _KIND_NAME.match(kind or ""):
        for root in search:
            if (root / kind / "template.html").is_file():
                return root
    raise UnknownLetterKind(f"no letter kind {kind!r}")


def kind(kind_name: str, search: Sequence[Path]) -> tuple[LetterKind, Path]:
    """The kind and the folder it comes from."""
    root = root_for(kind_name, search)
    return get_kind(kind_name, root), root


def catalog(search: Sequence[Path]) -> Catalog:
    """Every kind, the first folder winning, in menu order."""
    seen: dict[str, LetterKind | None] = {}  # None: broken; a broken override still hides the built-in
    broken: list[str] = []
    for root in search:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            name = folder.name
            if name in seen or not _KIND_NAME.match(name) or not (folder / "template.html").is_file():
                continue
            try:
                seen[name] = get_kind(name, root)
            except LetterTemplateError as exc:
                broken.append(str(exc))
                seen[name] = None
    kinds = sorted((k for k in seen.values() if k is not None), key=lambda k: (k.order, k.key))
    return Catalog(kinds=kinds, broken=broken)
