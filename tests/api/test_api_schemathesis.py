"""Schemathesis against the OpenAPI document, over every operation, with a token: no 500, and no response
that breaks the document (status code, content type, headers, body schema); data that the document says is
invalid must be refused with a 4xx. Bounded (a few examples per operation) to stay quick."""

from __future__ import annotations

import io

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.api.fields import MAX_ID
from tracker.api.openapi import document
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.requests import services

# Valid-looking data may still be refused by the services' own rules (an unknown agency id, a date in the future,
# an action not allowed in the status): a 422 there is right, so this check is left out.
EXCLUDED = [positive_data_acceptance]


def _seed(app, users) -> dict:
    """A filed request with a matter and a document, so that half the generated ids reach real rows."""
    with app.app_context():
        agency = make_agency()
        matter = make_matter()
        req = make_request(users["reporter"], agency, title="Seeded request")
        req.matters = [matter]
        storage = DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="portal", storage=storage)
        services.upload_documents(req, [services.Upload("letter.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"))],
                                  actor=req.owner, now=now_utc(), storage=storage)
        from tracker.batches.services import create_batch

        batch = create_batch(actor=req.owner, now=now_utc(), today=d("2026-11-30"), data={"title": "Seeded batch"},
                             agency_ids=[agency.id, make_agency("DHS Office of Inspector General", "DHS OIG").id])
        db.session.commit()
        return {"request_id": req.id, "agency_id": agency.id, "matter_id": matter.id,
                "attachment_id": req.attachments[0].id, "batch_id": batch.id}


# Built at collection time from the same function the app serves (a test below checks they are equal).
schema = schemathesis.openapi.from_dict(document())
# The test sends a real token itself (token refusals are tested in test_api_tokens.py), so schemathesis must not
# generate Authorization values of its own: a "missing token" case would be overridden and look wrongly accepted.
schema.config.generation.update(with_security_parameters=False)


@pytest.fixture
def seeded(app, users, tokens, frozen):
    return _seed(app, users)


def _point_at_rows(case, ids: dict) -> None:
    """Half the generated ids become ids of rows that exist, so the handlers are reached, not only the 404s."""
    for name, value in (case.path_parameters or {}).items():
        if name in ids and isinstance(value, int) and 0 < value <= MAX_ID and value % 2 == 0:
            case.path_parameters[name] = ids[name]


# One test per operation and kind of data, each with its own id: schemathesis's own parametrize gives every
# operation the same node id, and pytest-xdist (`make test` runs two workers) then ran and reported one of them.
# Data the document says is invalid (negative) is made for every operation that takes something besides the
# token: a query, a path id, a header, a body.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


def _takes_input(operation) -> bool:
    return len(operation.body) > 0 or any(p.name != "Authorization" for p in operation.iter_parameters())


CASES = [pytest.param(operation, mode, id=f"{mode.value}-{operation.label}")
         for mode in GenerationMode for operation in OPERATIONS
         if mode is GenerationMode.POSITIVE or _takes_input(operation)]


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_every_operation_conforms_to_the_document(operation, mode, app, seeded, bearer):
    """Valid data (positive) and data the document says is invalid (negative), as schemathesis's own runner does."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def conforms(case):
        case.operation.schema.app = app  # calls go to the app in-process (WSGI), on the test database
        _point_at_rows(case, seeded)
        # In a multipart form every value travels as text: a "wrong type" there (the number 7 for a subject)
        # arrives as the valid text "7", so type-negated form cases cannot be told apart from valid ones.
        excluded = EXCLUDED + ([negative_data_rejection] if case.media_type == "multipart/form-data" else [])
        case.call_and_validate(app=app, base_url="http://localhost/api/v1", headers=bearer("editor"),
                               excluded_checks=excluded)

    conforms()


def test_the_served_document_is_the_tested_one(app):
    assert app.test_client().get("/api/v1/openapi.json").json == document()
