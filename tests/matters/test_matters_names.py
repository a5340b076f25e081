"""Matter titles and agency names are unique regardless of case, accented letters included."""

from __future__ import annotations

import pytest

from tracker.agencies.services import save_agency
from tracker.core.errors import ValidationFailed
from tracker.matters.services import save_matter


def test_accented_titles_clash_case_insensitively(db):
    save_matter(None, {"title": "Inquiry into agent Peña", "category": "administrative"})
    with pytest.raises(ValidationFailed) as refused:
        save_matter(None, {"title": "INQUIRY INTO AGENT PEÑA", "category": "administrative"})
    assert refused.value.fields == {"title": "A matter with this title exists."}


def test_accented_agency_names_clash_case_insensitively(db):
    save_agency(None, {"name": "Oficina de Información", "jurisdiction": "US"})
    with pytest.raises(ValidationFailed) as refused:
        save_agency(None, {"name": "OFICINA DE INFORMACIÓN", "jurisdiction": "US"})
    assert "already in the directory" in refused.value.fields["name"]
