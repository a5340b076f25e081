"""Render reminder and digest emails (plain text and HTML) from templates/emails/, outside any web request."""

from __future__ import annotations

from datetime import date

from flask import render_template

from tracker.auth.models import User
from tracker.core.mail import absolute
from tracker.core.template_helpers import longdate
from tracker.reminders import links, wording
from tracker.reminders.rules import Due
from tracker.requests.due_dates import is_federal
from tracker.requests.models import RecordsRequest

FOLLOW_UP_KINDS = ("response_overdue", "tracking_number_missing")


def how_computed(req: RecordsRequest, watched: str) -> list[str]:
    """The stored explanation of the deadline, step by step; a short note for dates we did not compute."""
    if watched == "paused":
        span = req.open_tolled_span
        return [f"The agency paused the clock on {longdate(span.paused_on)} to ask about "
                f"{'fees' if span.reason == 'fees' else 'clarification'}; the pause lasts until the agency "
                "receives our answer."] if span else []
    if watched == "our_answer":
        return ["The agency set this date in its letter; it is recorded on the request, not computed."]
    provenance = (req.deadline_provenance or {}).get(watched) or {}
    return [step.get("text", "") for step in provenance.get("steps", []) if step.get("text")]


def reminder_context(req: RecordsRequest, due: Due, user: User, today: date) -> dict:
    key = due.rule.key
    return {
        "user": user,
        "req": req,
        "agency": req.agency.label,
        "tracking_number": wording.tracking_label(req, key),
        "headline": wording.headline(req, due, today),
        "deadline_label": wording.WATCHED_LABELS.get(due.rule.watches, due.rule.label),
        "deadline_on": due.deadline_on,
        "deadline_text": f"{wording.WEEKDAYS[due.deadline_on.weekday()]}, {longdate(due.deadline_on)}",
        "steps": how_computed(req, due.rule.watches),
        "advice": wording.advice(req, due),
        "request_url": links.request_url(req.id),
        "follow_up_url": links.follow_up_letter_url(req.id, federal=is_federal(req.agency.jurisdiction))
        if key in FOLLOW_UP_KINDS else "",
        "preferences_url": absolute("reminders.mine"),
        "rule_label": due.rule.label,
    }


def render_reminder(req: RecordsRequest, due: Due, user: User, today: date) -> tuple[str, str, str]:
    """(subject, text, html) of one reminder."""
    context = reminder_context(req, due, user, today)
    return (wording.subject(req, due, today), render_template("emails/reminder.txt", **context),
            render_template("emails/reminder.html", **context))


def render_digest(user: User, today: date, items: list[dict], newsroom: list[dict],
                  newsroom_more: int) -> tuple[str, str, str]:
    """(subject, text, html) of a morning digest: the person's held reminders, and for editors the
    newsroom's overdue and closing deadlines."""
    parts = []
    if items:
        parts.append(f"{len(items)} reminder{'' if len(items) == 1 else 's'}")
    if newsroom or newsroom_more:
        total = len(newsroom) + newsroom_more
        parts.append(f"{total} newsroom deadline{'' if total == 1 else 's'} overdue or closing")
    subject = f"[FOIA] Daily digest, {longdate(today)}: " + "; ".join(parts)
    context = {"user": user, "today": today, "items": items, "newsroom": newsroom, "newsroom_more": newsroom_more,
               "preferences_url": absolute("reminders.mine"),
               "requests_url": absolute("requests.list_requests")}
    return subject, render_template("emails/digest.txt", **context), render_template("emails/digest.html", **context)
