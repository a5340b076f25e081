"""`tracker batch show|act`: the batch page from a terminal, with the same services and checks."""

from __future__ import annotations

from tests.batches.test_batches_services import _create
from tracker.extensions import db


def _batch(app, world, **data) -> int:
    with app.app_context():
        batch = _create(world["reporter"], [world["oig"], world["denver"]], **data)
        db.session.commit()
        return batch.id


def test_file_a_batch_and_show_it_from_the_command_line(app, world, frozen):
    batch_id = _batch(app, world)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["batch", "act", str(batch_id), "file", "--user", "reporter@test.example"])
    assert refused.exit_code == 1 and "on: Give the date the requests went out." in refused.output
    done = runner.invoke(args=["batch", "act", str(batch_id), "file", "--user", "reporter@test.example",
                               "--on", "2026-11-30", "--channel", "portal"])
    assert done.exit_code == 0, done.output
    assert "Record as filed: 2 requests changed." in done.output
    shown = runner.invoke(args=["batch", "show", str(batch_id), "--user", "other_reporter@test.example"])
    assert shown.exit_code == 0, shown.output
    assert "Agency's response due 2026-12-29" in shown.output and "Agency's response due 2026-12-03" in shown.output


def test_others_may_not_act_and_private_batches_do_not_exist_for_them(app, world):
    public, private = _batch(app, world), _batch(app, world, private=True)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["batch", "act", str(public), "letters", "--user", "other_reporter@test.example"])
    assert refused.exit_code == 1 and "Only the request's owner" in refused.output
    hidden = runner.invoke(args=["batch", "show", str(private), "--user", "other_reporter@test.example"])
    assert hidden.exit_code == 1 and "There is no batch with this id." in hidden.output
