"""Web pages for published stories: record one on a request or a matter, change it, remove it. The request
and matter pages list their stories through the Jinja globals set up in init_stories_views."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.core.clock import now_utc, today
from tracker.core.forms import form_status
from tracker.core.handlers import attempt
from tracker.extensions import db
from tracker.matters.access import can_change as can_change_matter
from tracker.matters.access import require_change as require_matter_change
from tracker.matters.models import Matter
from tracker.requests import access as request_access
from tracker.stories import queries, services
from tracker.stories.access import can_change, require_change
from tracker.stories.forms import StoryForm
from tracker.stories.models import Story

bp = Blueprint("stories", __name__)


def _data(form: StoryForm) -> services.StoryInput:
    return services.StoryInput(headline=form.headline.data or "", url=form.url.data or "",
                               published_on=form.published_on.data, note=form.note.data or "",
                               document_ids=[i for i in (form.document_ids.data or []) if isinstance(i, int)])


def _document_choices(form: StoryForm, documents) -> None:
    form.document_ids.choices = [(a.id, f"{a.original_name or 'Document'} (request #{a.request_id})")
                                 for a in documents]


def _back(story: Story) -> str:
    if story.requests and request_access.can_view(current_user, story.requests[0]):
        return url_for("requests.show", request_id=story.requests[0].id) + "#stories"
    if story.matters:
        return url_for("matters.show", matter_id=story.matters[0].id) + "#stories"
    return url_for("matters.list_matters")


@bp.route("/requests/<int:request_id>/stories/new", methods=["GET", "POST"])
@login_required
def new_for_request(request_id: int):
    req = request_access.load(current_user, request_id, act=True)
    return _new_story(req=req, page=url_for("requests.show", request_id=req.id))


@bp.route("/matters/<int:matter_id>/stories/new", methods=["GET", "POST"])
@login_required
def new_for_matter(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    require_matter_change(current_user, matter)
    return _new_story(matter=matter, page=url_for("matters.show", matter_id=matter.id))


def _new_story(*, page: str, req=None, matter: Matter | None = None):
    """The form for a new story on one request or one matter (whichever is given), and recording it."""
    form = StoryForm()
    _document_choices(form, services.documents_allowed(current_user, request=req, matter=matter))
    if form.validate_on_submit() and (story := attempt(form, lambda: services.record_story(
            _data(form), actor=current_user, now=now_utc(), today=today(), request=req, matter=matter))):
        flash(f"Story recorded: {story.headline}.")
        return redirect(page + "#stories")
    return render_template("stories/form.html", form=form, story=None, req=req, matter=matter,
                           back=page), form_status(form)


def _load(story_id: int) -> Story:
    story = queries.load_visible(current_user, story_id)
    if story is None:
        abort(404)
    return story


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@login_required
def edit(story_id: int):
    story = _load(story_id)
    require_change(current_user, story)
    form = StoryForm(obj=story)
    allowed = {a.id: a for a in queries.visible_documents(current_user, story)}
    for req in story.requests:
        allowed.update({a.id: a for a in services.documents_allowed(current_user, request=req)})
    for matter in story.matters:
        allowed.update({a.id: a for a in services.documents_allowed(current_user, matter=matter)})
    _document_choices(form, sorted(allowed.values(), key=lambda a: (a.request_id, a.id)))
    if not form.is_submitted():
        form.document_ids.data = [a.id for a in story.documents]
    if form.validate_on_submit() and attempt(form, lambda: services.update_story(
            story, _data(form), actor=current_user, now=now_utc(), today=today())):
        flash("Story saved.")
        return redirect(_back(story))
    return render_template("stories/form.html", form=form, story=story, req=None, matter=None,
                           back=_back(story)), form_status(form)


@bp.post("/stories/<int:story_id>/delete")
@login_required
def delete(story_id: int):
    story = _load(story_id)
    back = _back(story)
    services.remove_story(story, actor=current_user, now=now_utc())
    db.session.commit()
    flash("Story removed.")
    return redirect(back)


def _panel(stories) -> list[dict]:
    return [{"story": s, "documents": queries.visible_documents(current_user, s),
             "requests": queries.visible_requests(current_user, s), "can_change": can_change(current_user, s)}
            for s in stories]


def request_stories(req) -> list[dict]:
    return _panel(queries.stories_of_request(current_user, req))


def matter_stories(matter) -> list[dict]:
    return _panel(queries.stories_of_matter(current_user, matter))


def init_stories_views(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        request_stories=request_stories, matter_stories=matter_stories,
        may_record_request_story=lambda req: request_access.can_act(current_user, req),
        may_record_matter_story=lambda matter: can_change_matter(current_user, matter))
