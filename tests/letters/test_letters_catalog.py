"""The catalog reads meta.toml: kinds, titles, jurisdictions, required fields."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker.letters.catalog import (
    LetterTemplateError,
    get_kind,
    kinds_for_jurisdiction,
    letter_templates_dir,
    list_kinds,
    lookup,
    missing_fields,
)
from tracker.letters.samples import SAMPLE_KINDS, sample_context

KINDS = {"foia_request", "state_request", "status_inquiry", "appeal", "ogis_mediation", "expedite_request",
         "agency_status"}


def test_every_kind_has_its_three_files_and_a_sample() -> None:
    kinds = list_kinds()
    assert {k.key for k in kinds} == KINDS == set(SAMPLE_KINDS)
    for kind in kinds:
        assert kind.title and kind.purpose and kind.jurisdictions and kind.required
        for name in ("template.html", "style.css", "meta.toml"):
            assert (kind.folder / name).is_file(), f"{kind.key}/{name}"
    assert [k.key for k in kinds][0] == "foia_request"  # menu order


def test_jurisdictions() -> None:
    for code in ("US", "US-DHS", "US-DOJ"):
        assert {k.key for k in kinds_for_jurisdiction(code)} == KINDS - {"state_request"}, code
    assert {k.key for k in kinds_for_jurisdiction("US-CO")} == {"state_request", "agency_status"}
    assert kinds_for_jurisdiction("CA-ON") == []


def test_samples_are_complete() -> None:
    for kind in SAMPLE_KINDS:
        assert missing_fields(kind, sample_context(kind)) == [], kind


def test_missing_fields_and_labels() -> None:
    assert missing_fields("appeal", {}) == [
        "requester.name",
        "agency.name",
        "request.tracking_numbers",
        "request.determination.kind",
        "request.determination.on",
    ]
    context = sample_context("appeal")
    context["request"]["tracking_numbers"] = []
    context["requester"]["name"] = "  "
    assert missing_fields("appeal", context) == ["requester.name", "request.tracking_numbers"]
    assert get_kind("appeal").label("request.determination.on") == "Date of the determination letter"


def test_required_when() -> None:
    context = sample_context("foia_request")
    context["request"]["expedited_category"] = None
    assert missing_fields("foia_request", context) == ["request.expedited_category"]
    context["request"]["expedited_requested"] = False
    assert missing_fields("foia_request", context) == []


def test_lookup() -> None:
    assert lookup({"a": {"b": {"c": 0}}}, "a.b.c") == 0
    assert lookup({"a": {"b": None}}, "a.b.c") is None
    assert lookup({"a": "text"}, "a.b") is None


def test_broken_meta_is_a_letter_template_error(tmp_path: Path) -> None:
    root = tmp_path / "t"
    shutil.copytree(letter_templates_dir() / "foia_request", root / "foia_request")
    (root / "foia_request" / "meta.toml").write_text("title = [unclosed")
    with pytest.raises(LetterTemplateError, match="meta.toml"):
        list_kinds(root)
    assert list_kinds(tmp_path / "nowhere") == []
