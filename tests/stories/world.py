"""A small newsroom for the stories tests: two matters, a public and a private request with documents."""

from __future__ import annotations

import io

from flask import current_app

from tests.helpers import make_agency, make_matter, make_request
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.requests import services


def attach(req, name: str):
    storage = DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])
    owner = db.session.get(User, req.owner_id)
    attachment = services.add_attachment(req, services.Upload(name, io.BytesIO(b"%PDF-1.4 " + name.encode())),
                                         actor=owner, now=now_utc(), storage=storage)
    db.session.flush()
    return attachment


def build(users) -> dict:
    ice = make_agency()
    death = make_matter("Death at Otero")
    other = make_matter("Krome medical care")
    death.created_by_id = users["reporter"]
    public = make_request(users["reporter"], ice, title="Otero OPR report", matter_ids=[death.id])
    private = make_request(users["other_reporter"], ice, title="Otero private request", private=True,
                           matter_ids=[death.id])
    elsewhere = make_request(users["other_reporter"], ice, title="Krome request", matter_ids=[other.id])
    ids = {"ice": ice.id, "death": death.id, "other": other.id, "public": public.id, "private": private.id,
           "elsewhere": elsewhere.id,
           "report_pdf": attach(public, "report.pdf").id, "private_pdf": attach(private, "memo.pdf").id,
           "krome_pdf": attach(elsewhere, "krome.pdf").id}
    db.session.commit()
    return ids
