"""The letter sandbox's exact limits: the largest power and the longest repeated text a template may build, the
first one past each refused; and what the sandbox does with unsafe attributes, markup and blanks."""

from __future__ import annotations

import pytest

from tracker.letters.render import LetterTemplateError, render_html
from tracker.letters.samples import sample_context

CONTEXT = sample_context("foia_request")


def rendered(source: str, context=None) -> str:
    return render_html("foia_request", context or CONTEXT, template_source=source)


@pytest.mark.parametrize("source,shown", [
    ("[{{ 2 ** 64 }}]", "[18446744073709551616]"),
    ("[{{ 2 ** -64 }}]", f"[{2 ** -64}]"),
    ("[{{ 2.0 ** 64 }}]", f"[{2.0 ** 64}]"),
    ("[{{ ('ab' * 50000) | length }}]", "[100000]"),
    ("[{{ (50000 * 'ab') | length }}]", "[100000]"),
    ("[{{ ([1] * 100000) | length }}]", "[100000]"),
    ("[{{ 3 * 4 }}]", "[12]"),
])
def test_up_to_the_limit_a_template_renders(source, shown):
    assert shown in rendered(source)


@pytest.mark.parametrize("source,why", [
    ("{{ 2 ** 65 }}", "exponent too large in a letter template"),
    ("{{ 2 ** -65 }}", "exponent too large in a letter template"),
    ("{{ ('ab' * 50001) | length }}", "sequence too long in a letter template"),
    ("{{ (50001 * 'ab') | length }}", "sequence too long in a letter template"),
    ("{{ ([1] * 100001) | length }}", "sequence too long in a letter template"),
    ("{{ ((1,) * 100001) | length }}", "sequence too long in a letter template"),
    ("{{ ''.__class__ }}", "access to attribute '__class__' of 'str' is not allowed"),
])
def test_past_the_limit_the_template_is_refused_and_says_why(source, why):
    with pytest.raises(LetterTemplateError) as refused:
        rendered(source)
    assert str(refused.value) == f"foia_request: the template tried something letters may not do: {why}"


def test_markup_is_escaped_and_blanks_print_as_nothing():
    context = {**CONTEXT, "request": {**CONTEXT["request"], "title": "<b>Fish & Wildlife</b>", "note": None}}
    html = rendered("[{{ request.title }}][{{ request.note }}][{{ request.nothing.deeper }}]", context)
    assert "[&lt;b&gt;Fish &amp; Wildlife&lt;/b&gt;][][]" in html


def test_block_tags_leave_no_blank_lines_or_indentation_behind():
    """trim_blocks and lstrip_blocks: an {% if %} on its own line disappears with its line."""
    html = rendered("[\n    {% if true %}\n    x\n    {% endif %}\n]")
    assert "[\n    x\n]" in html


def test_a_template_edited_on_disk_is_used_at_the_next_render(tmp_path):
    import os
    import shutil

    from tracker.letters.catalog import letter_templates_dir

    folder = tmp_path / "templates"
    shutil.copytree(letter_templates_dir(), folder)
    template = folder / "foia_request" / "template.html"
    first = render_html("foia_request", CONTEXT, templates_dir=folder)
    template.write_text("<p>Edited on disk</p>", encoding="utf-8")
    later = os.stat(template).st_mtime + 10
    os.utime(template, (later, later))
    second = render_html("foia_request", CONTEXT, templates_dir=folder)
    assert "Edited on disk" not in first and "Edited on disk" in second
