"""User-edited templates run sandboxed; every failure is a LetterTemplateError with a message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker.letters.catalog import letter_templates_dir
from tracker.letters.render import (
    LetterTemplateError,
    UnknownLetterKind,
    render_html,
    render_pdf,
    render_text,
)
from tracker.letters.samples import sample_context

CONTEXT = sample_context("foia_request")


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ request.__class__ }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{% set _ = request.update({'title': 'x'}) %}",  # the context is read-only
        "{{ 'a' * 10000000 }}",
        "{{ 9 ** 999999 }}",
    ],
)
def test_sandbox_violations_raise_letter_template_error(source: str) -> None:
    with pytest.raises(LetterTemplateError, match="foia_request"):
        render_html("foia_request", CONTEXT, template_source=source)


def test_context_is_not_modified_by_rendering() -> None:
    context = sample_context("appeal")
    before = repr(context)
    render_html("appeal", context)
    assert repr(context) == before


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{% if %}", "syntax error in template.html, line 1"),
        ("ok\n{{ request.title", "line 2"),
        ("{% include '../appeal/template.html' %}", "no template named"),
        ("{% include '/etc/passwd' %}", "no template named"),
        ("{{ no_such_function() }}", "undefined"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_broken_templates_say_what_is_wrong(source: str, words: str) -> None:
    with pytest.raises(LetterTemplateError) as caught:
        render_text("foia_request", CONTEXT, template_source=source)
    assert words in str(caught.value)


def test_missing_keys_render_empty_not_error() -> None:
    source = "[{{ nothing }}|{{ request.nothing.deeper }}|{{ agency.name }}|{{ nothing|longdate }}]"
    html = render_html("foia_request", {"agency": {"name": "ICE"}}, template_source=source)
    assert html == "[||ICE|]"


def test_edited_template_on_disk_is_used(tmp_path: Path) -> None:
    root = tmp_path / "letter_templates"
    shutil.copytree(letter_templates_dir(), root)
    (root / "foia_request" / "template.html").write_text(
        '{% extends "_partials/layout.html" %}{% block body %}<p>Edited: {{ request.title }}</p>{% endblock %}'
    )
    text = render_text("foia_request", CONTEXT, templates_dir=root)
    assert "Edited: Records concerning the Denver 'death card' allegations" in text
    (root / "foia_request" / "template.html").write_text("{% endblock %}")
    with pytest.raises(LetterTemplateError, match="syntax error"):
        render_pdf("foia_request", CONTEXT, templates_dir=root)


def test_style_may_not_close_the_style_element() -> None:
    with pytest.raises(LetterTemplateError, match="</style"):
        render_html("foia_request", CONTEXT, style_source="p{}</style><script>alert(1)</script>")


@pytest.mark.parametrize("kind", ["nope", "../foia_request", "_partials", "FOIA_REQUEST", ""])
def test_unknown_kinds(kind: str) -> None:
    with pytest.raises(UnknownLetterKind):
        render_html(kind, CONTEXT)


def test_context_must_be_a_mapping() -> None:
    with pytest.raises(TypeError):
        render_html("foia_request", ["not", "a", "dict"])  # type: ignore[arg-type]
