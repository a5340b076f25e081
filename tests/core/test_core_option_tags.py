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


def test_a_menu_kept_from_a_former_print_shows_the_labels_it_is_given_now():
    """Menus are kept for their exact pairs (template_helpers._cached_tags): a renamed entry is a new menu, never a
    stale one, and the selection is marked on the kept menu each time."""
    before = [(1, "Alpha"), (2, "Beta & co")]
    assert option_tags(before, 2) == one_by_one(before, 2)
    assert option_tags(list(before)) == one_by_one(before)  # the kept menu, nothing selected
    renamed = [(1, "Alpha"), (2, "Beta <renamed>")]
    assert option_tags(renamed) == one_by_one(renamed) and "Beta &amp; co" not in option_tags(renamed)
    assert option_tags(before, 1) == one_by_one(before, 1) and option_tags(before, 9) == one_by_one(before)
    assert option_tags(before, "2") == one_by_one(before)  # a string is no id


def test_values_equal_but_printed_differently_are_not_one_menu():
    """1 == True and Markup("<b>") == "<b>": such menus print differently, so neither is served the other's."""
    assert option_tags([(1, "<b>")]) == '<option value="1">&lt;b&gt;</option>'
    assert option_tags([(True, "<b>")]) == '<option value="True">&lt;b&gt;</option>'
    assert option_tags([(1, Markup("<b>"))]) == '<option value="1"><b></option>'
    assert option_tags([(1, "<b>")]) == '<option value="1">&lt;b&gt;</option>'


def test_a_menu_printed_again_is_built_once():
    from tracker.core import template_helpers

    menu = [(n, f"Matter {n}") for n in range(300)]
    option_tags(menu)
    hits = template_helpers._cached_tags.cache_info().hits
    assert option_tags([tuple(pair) for pair in menu], 5) == one_by_one(menu, 5)
    assert template_helpers._cached_tags.cache_info().hits == hits + 1


def test_a_kept_menu_is_built_once_for_its_kept_rows(monkeypatch):
    """A menu kept per process (core.menus.Menu) is looked up by the identity of its kept rows, not hashed and
    compared pair by pair at each print; each print is still the menu it is given, the selection marked."""
    from tracker.core import template_helpers
    from tracker.core.menus import Menu

    kept = tuple((n, f"Matter {n} & co") for n in range(300))
    built = []
    real = template_helpers._tags
    monkeypatch.setattr(template_helpers, "_tags", lambda choices: built.append(choices) or real(choices))
    assert option_tags(Menu(kept, kept)) == one_by_one(kept)
    assert option_tags(Menu(kept, kept), 7) == one_by_one(kept, 7)
    assert option_tags(Menu(kept, kept), "7") == one_by_one(kept)
    assert len(built) == 1 and built[0] is kept
    same_rows = tuple(kept)[:150] + tuple(kept)[150:]  # equal, but another kept tuple (a new version of the table)
    assert option_tags(Menu(same_rows, same_rows), 3) == one_by_one(kept, 3) and len(built) == 2


def test_a_kept_menu_changed_by_its_caller_prints_what_it_holds_now():
    from tracker.core.menus import Menu

    kept = ((1, "Alpha"), (2, "Beta"))
    for change in (lambda m: m.append((3, "Gamma")), lambda m: m.insert(0, (0, "Zero")), lambda m: m.pop(),
                   lambda m: m.sort(reverse=True), lambda m: m.__setitem__(0, (9, "Nine")), lambda m: m.clear(),
                   lambda m: m.__delitem__(0), lambda m: m.extend([(4, "<d>")]), lambda m: m.reverse(),
                   lambda m: m.remove((2, "Beta"))):
        menu = Menu(kept, kept)
        option_tags(menu)
        change(menu)
        assert option_tags(menu, 1) == one_by_one(list(menu), 1)
    menu = Menu(kept, kept)
    menu += [(5, "Five")]
    assert option_tags(menu) == one_by_one(list(menu))


def test_selection_is_marked_wherever_the_value_is():
    choices = [(1, "a"), (2, "b"), (1, "again"), ("1", "a string")]
    for selected in (1, 2, "1", True, 1.0, None, 3):
        assert option_tags(choices, selected) == one_by_one(choices, selected)
    odd = [(True, "yes"), (0, "zero"), (None, "none")]
    for selected in (True, 1, 0, False):
        assert option_tags(odd, selected) == one_by_one(odd, selected)
