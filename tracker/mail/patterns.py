"""The patterns of patterns.toml, compiled once: tracking numbers per agency family and the phrases of each
kind of agency letter. Data, not code: a newsroom adds a state's number format by editing the file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

PATTERNS_FILE = Path(__file__).with_name("patterns.toml")
FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Family:
    name: str
    match: tuple[str, ...]
    request: tuple[re.Pattern, ...]
    appeal: tuple[re.Pattern, ...]

    def fits(self, *names: str) -> bool:
        text = " ".join(n for n in names if n)
        return any(re.search(rf"(?<!\w){re.escape(m)}(?!\w)", text, FLAGS) for m in self.match)


@dataclass(frozen=True)
class Patterns:
    families: tuple[Family, ...]
    generic_request: tuple[re.Pattern, ...]
    generic_appeal: tuple[re.Pattern, ...]
    kinds: dict[str, tuple[re.Pattern, ...]]
    not_kinds: dict[str, tuple[re.Pattern, ...]]
    keywords: dict[str, tuple[str, ...]]  # a sentence without any of these is not tried against the kind's phrases

    @cached_property
    def sieves(self) -> dict[str, re.Pattern]:
        """Each kind's keywords as one pattern, searched in a lower-cased sentence: the same test as looking for
        each keyword in turn, in one pass (a kind with no keywords has no sieve)."""
        return {kind: re.compile("|".join(map(re.escape, words))) for kind, words in self.keywords.items() if words}

    def ordered_families(self, *names: str) -> list[Family]:
        """The agency's own families first, then the others."""
        own = [f for f in self.families if f.fits(*names)]
        return own + [f for f in self.families if f not in own]


def _compile(items) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, FLAGS) for p in items or ())


def load(path: Path = PATTERNS_FILE) -> Patterns:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    families = tuple(Family(f["name"], tuple(f.get("match", ())), _compile(f.get("request")), _compile(f.get("appeal")))
                     for f in data.get("family", []))
    generic = data.get("generic", {})
    kinds = {k: _compile(v.get("phrases")) for k, v in data.get("kinds", {}).items()}
    not_kinds = {k: _compile(v.get("not_phrases")) for k, v in data.get("kinds", {}).items()}
    keywords = {k: tuple(w.lower() for w in v.get("keywords", ())) for k, v in data.get("kinds", {}).items()}
    return Patterns(families, _compile(generic.get("request")), _compile(generic.get("appeal")), kinds, not_kinds,
                    keywords)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    return load()
