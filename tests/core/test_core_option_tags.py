"""option_tags escapes a menu's labels in one call (the list page prints hundreds of matters): each option reads as
if its label had been escaped alone, whatever the labels hold."""

from __future__ import annotations

from markupsafe import Markup, escape

from tracker.core.template_helpers import option_tags


def one_by_one(choices, selected=None) -> str:
    return "".join(f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
                   for value, label in choices)


def test_labels_are_escaped_each_as_alone():
    choices = [(1, 'Use of force <b>"Harris"</b> & O\'Neil'), (2, ""), (3, "plain"), ("x&y", "a value escaped"),
               (4, 17), (5, None)]
    assert option_tags(choices, 3) == one_by_one(choices, 3)
    assert '<option value="3" selected>plain</option>' in option_tags(choices, 3)
    assert "&lt;b&gt;&#34;Harris&#34;&lt;/b&gt; &amp; O&#39;Neil" in option_tags(choices)


def test_a_label_holding_the_joining_character_keeps_its_place():
    choices = [(1, "before"), (2, "a\x00b<"), (3, "after")]
    assert option_tags(choices, 2) == one_by_one(choices, 2)


def test_markup_labels_are_not_escaped_twice():
    choices = [(1, Markup("<em>set</em>")), (2, "<raw>")]
    assert option_tags(choices) == '<option value="1"><em>set</em></option><option value="2">&lt;raw&gt;</option>'


def test_no_choices_no_options():
    assert option_tags([]) == "" and option_tags(iter(())) == ""
