"""An agency's notes are read by the whole newsroom, but some sentences are the directory keeper's own
reminders ("Check: ICE appeal address"): those are for admins, who keep the directory."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_INTERNAL = re.compile(r"^check\b|:\s*check\.?$", re.IGNORECASE)


def split_notes(text: str) -> tuple[str, str]:
    """(what everyone reads, the keeper's to-check sentences), each paragraph kept on its own line."""
    public, internal = [], []
    for paragraph in (text or "").splitlines():
        shown, kept = [], []
        for sentence in _SENTENCE.split(paragraph.strip()):
            if sentence:
                (kept if _INTERNAL.search(sentence) else shown).append(sentence)
        public.append(" ".join(shown))
        internal.extend(kept)
    return "\n".join(p for p in public if p).strip(), " ".join(internal)
