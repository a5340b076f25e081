"""Newsroom settings: the letterhead (name, address, logo) and the newsroom's own template folder."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.letters.letters_app_helpers import make_fixed_request, pdf_text
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.core.errors import ValidationFailed
from tracker.extensions import db
from tracker.letters import services, sources

# A 4x2 red PNG, written out so the test needs no image library.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR4nGM4o6QERwzIHABz6giB6pZQ+wAAAABJRU5ErkJggg=="
)
OWN_FOIA = """{% extends "_partials/layout.html" %}
{% block re %}Our own FOIA request: {{ request.title }}{% endblock %}
{% block body %}<p>The newsroom's own wording for {{ agency.name }}.</p>{% endblock %}
"""
META = 'title = "{title}"\npurpose = "x"\njurisdictions = ["US", "US-???*"]\norder = {order}\n'


def generate(app, storage, req, kind, user_id, **changes):
    actor = db.session.get(User, user_id)
    options = services.default_options(req, kind, actor)
    for name, value in changes.items():
        setattr(options, name, value)
    return services.generate_letter(req, kind, options, actor=actor, now=now_utc(), today=today(), storage=storage,
                                    search=sources.roots(app.config),
                                    letterhead=services.letterhead_from_config(app.config))


def write_kind(root: Path, name: str, template: str, title: str, order: int = 5) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "template.html").write_text(template)
    (folder / "meta.toml").write_text(META.format(title=title, order=order))
    (folder / "style.css").write_text("")


@pytest.fixture
def newsroom(app, monkeypatch, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    monkeypatch.setitem(app.config, "TRACKER_NEWSROOM_NAME", "The Mountain Dispatch")
    monkeypatch.setitem(app.config, "TRACKER_NEWSROOM_ADDRESS", "P.O. Box 1234\nDenver, CO 80201")
    monkeypatch.setitem(app.config, "TRACKER_NEWSROOM_LOGO", str(logo))
    return logo


def test_letterhead_comes_from_the_settings(app, db, users, frozen, storage, newsroom):
    head = services.letterhead_from_config(app.config)
    assert head["logo"].startswith("data:image/png;base64,")
    req = make_fixed_request(users["reporter"])
    letter = generate(app, storage, req, "foia_request", users["reporter"], requester_title="Investigative Reporter")
    with storage.open(letter.storage_key) as f:
        pdf = f.read()
    text = pdf_text(pdf)
    # The letterhead: the newsroom first, its address (lines joined), then the reporter with email and phone.
    assert ("The Mountain Dispatch P.O. Box 1234, Denver, CO 80201 Reporter, Investigative Reporter · "
            "reporter@test.example" in text)
    assert "I report for The Mountain Dispatch" in text  # the news-media paragraph names the outlet
    images = {image.name for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images}
    assert len(images) == 1  # the logo
    assert "Mountain Dispatch" not in letter.text.split("\n\n")[0]  # the letterhead stays out of the portal text


def test_an_unreadable_or_wrong_logo_is_left_out(app, monkeypatch, tmp_path, newsroom):
    monkeypatch.setitem(app.config, "TRACKER_NEWSROOM_LOGO", str(tmp_path / "missing.png"))
    assert services.letterhead_from_config(app.config)["logo"] == ""
    text_file = tmp_path / "logo.png"
    text_file.write_text("not an image")
    monkeypatch.setitem(app.config, "TRACKER_NEWSROOM_LOGO", str(text_file))
    assert services.letterhead_from_config(app.config)["logo"] == ""
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    monkeypatch.setitem(app.config, "TRACKER_NEWSROOM_LOGO", str(svg))
    assert services.letterhead_from_config(app.config)["logo"].startswith("data:image/svg+xml;base64,")


def test_the_newsroom_folder_overrides_and_adds_kinds(app, db, users, frozen, storage, monkeypatch, tmp_path):
    own = tmp_path / "own"
    write_kind(own, "foia_request", OWN_FOIA, "FOIA request (our wording)")
    write_kind(own, "records_followup", OWN_FOIA.replace("Our own FOIA", "Follow-up"), "Follow-up", order=70)
    monkeypatch.setitem(app.config, "TRACKER_LETTER_TEMPLATES_EXTRA", str(own))
    catalog = sources.catalog(sources.roots(app.config))
    keys = [k.key for k in catalog.fitting("US-DHS")]
    assert keys[0] == "foia_request" and "records_followup" in keys and "appeal" in keys
    assert keys.count("foia_request") == 1
    assert next(k for k in catalog.kinds if k.key == "foia_request").title == "FOIA request (our wording)"
    req = make_fixed_request(users["reporter"])
    letter = generate(app, storage, req, "foia_request", users["reporter"])
    assert "The newsroom's own wording for ICE FOIA Office." in letter.text
    assert letter.title == "FOIA request (our wording)"
    # The built-in layout and its letterhead still frame the newsroom's template.
    with storage.open(letter.storage_key) as f:
        assert "Page 1 of 1" in pdf_text(f.read())


def test_a_broken_newsroom_template_says_where(app, db, users, frozen, storage, monkeypatch, tmp_path):
    own = tmp_path / "own"
    write_kind(own, "foia_request", '{% extends "_partials/layout.html" %}\n{% block body %}\n{% if %}\n'
                                    '{% endblock %}\n', "Broken")
    write_kind(own, "bad_meta", OWN_FOIA, "Bad")
    (own / "bad_meta" / "meta.toml").write_text("title = [unclosed")
    monkeypatch.setitem(app.config, "TRACKER_LETTER_TEMPLATES_EXTRA", str(own))
    catalog = sources.catalog(sources.roots(app.config))
    assert "bad_meta" not in [k.key for k in catalog.kinds]
    assert any("bad_meta/meta.toml" in message for message in catalog.broken)
    req = make_fixed_request(users["reporter"])
    with pytest.raises(ValidationFailed) as refused:
        generate(app, storage, req, "foia_request", users["reporter"])
    assert "line 3" in refused.value.message


def test_a_newsroom_template_reaching_outside_gets_nothing(app, db, users, frozen, storage, monkeypatch, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    own = tmp_path / "own"
    write_kind(own, "foia_request", '{% extends "_partials/layout.html" %}{% block body %}'
                                    '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
                                    f'<link rel="stylesheet" href="{secret.as_uri()}">'
                                    '<img src="../../etc/hostname"><p>Body.</p>{% endblock %}', "Reaching")
    monkeypatch.setitem(app.config, "TRACKER_LETTER_TEMPLATES_EXTRA", str(own))
    req = make_fixed_request(users["reporter"])
    letter = generate(app, storage, req, "foia_request", users["reporter"])
    with storage.open(letter.storage_key) as f:
        pdf = f.read()
    assert "Body." in pdf_text(pdf) and b"root:" not in pdf
    assert not [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
