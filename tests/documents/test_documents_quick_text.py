"""The mail fetch's quick PDF reader: PyMuPDF in a child process; a damaged or hostile PDF costs that PDF only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents import makers
from tracker.documents import quick_text
from tracker.documents.quick_text import QuickText, QuickTextError


def test_reads_pages_and_survives_what_it_cannot_read():
    letter = makers.text_pdf(["RE: ICE FOIA Case Number 2026-ICFO-01234", "Of the 412 pages located, 24 are withheld."])
    with QuickText() as reader:
        assert reader.pages(letter) == ["RE: ICE FOIA Case Number 2026-ICFO-01234",
                                        "Of the 412 pages located, 24 are withheld."]
        broken = (b"", b"%PDF-1.7\n" + b"\x00" * 500, letter[:400])  # empty, garbage, truncated
        for bad, why in zip(broken, ("damaged", "damaged", "damaged|no pages"), strict=True):
            with pytest.raises(QuickTextError, match=why):
                reader.pages(bad)
        assert reader.pages(letter)[0].startswith("RE: ICE FOIA")  # the same child goes on
        reader.process.kill()  # the child died (a crash on the last PDF, say): the next PDF gets a new one
        reader.process.wait()
        assert reader.pages(letter)[1].endswith("24 are withheld.")


def test_a_reader_that_cannot_start_is_an_error_not_a_hang():
    with QuickText(memory_mb=40) as reader, pytest.raises(QuickTextError, match="reader stopped"):
        reader.pages(makers.text_pdf(["A letter."]))


def test_submitted_documents_are_answered_each_by_its_own_text_while_the_caller_goes_on():
    letters = [makers.text_pdf([f"Letter {i} of the batch"]) for i in range(12)]
    damaged = b"%PDF-1.7\n" + b"\x00" * 500
    with QuickText() as reader:
        order = [i % 11 if i % 9 != 4 else None for i in range(60)]  # a damaged one now and then
        asked = [reader.submit(letters[i] if i is not None else damaged) for i in order]
        asked[0].result()  # the reader thread is at work on the others
        # The caller reads one itself meanwhile (the fetch's careful pass does): never another's answer.
        assert reader.pages(letters[11]) == ["Letter 11 of the batch"]
        for i, future in zip(order, asked, strict=True):
            if i is None:
                with pytest.raises(QuickTextError, match="damaged"):
                    future.result()
            else:
                assert future.result() == [f"Letter {i} of the batch"]
        reader.process.kill()  # the child died: what is submitted next gets a new one
        reader.process.wait()
        assert reader.submit(letters[0]).result() == ["Letter 0 of the batch"]
    assert reader.process is None  # closed: the reader thread finished, the child ended


HOSTILE = str(Path(__file__).with_name("hostile_reader.py"))


def test_a_gathered_batch_is_read_in_one_exchange_and_a_pdf_that_kills_or_hangs_the_child_costs_only_itself(
        monkeypatch):
    monkeypatch.setattr(QuickText, "child", (HOSTILE, str(quick_text.CHILD)))
    letters = [makers.text_pdf([f"Letter {i} of the batch"]) for i in range(4)]
    batch = [b"%crash", letters[0], letters[1], b"%hang", letters[2], b"%crash", letters[3], b"%hang"]
    started = []
    real_start = QuickText._start
    monkeypatch.setattr(QuickText, "_start", lambda self: started.append(self.process) or real_start(self))
    with QuickText(seconds=1) as reader:
        with reader.gathered():
            asked = [reader.submit(data) for data in batch]
            assert reader.process is None  # nothing is sent before the block ends
        texts = []
        for data, future in zip(batch, asked, strict=True):
            if data == b"%crash":
                with pytest.raises(QuickTextError, match="reader stopped on it"):
                    future.result()
            elif data == b"%hang":
                with pytest.raises(QuickTextError, match="more than 1 seconds"):
                    future.result()
            else:
                texts.append(future.result())
        assert texts == [[f"Letter {i} of the batch"] for i in range(4)]
        # A child for each PDF it could not survive, and one more for the first crash: at the head of the
        # exchange, before any answer, it is asked again alone (the child may have died reading the exchange).
        assert started.count(None) == 5
        assert reader.submit(letters[0]).result() == ["Letter 0 of the batch"]  # the next gets a new child


def test_an_exchange_carries_at_most_so_many_bytes_and_every_pdf_is_answered_in_order(monkeypatch):
    letters = [makers.text_pdf([f"Letter {i} of the batch"]) for i in range(7)]
    monkeypatch.setattr(quick_text, "EXCHANGE_BYTES", 3 * max(len(letter) for letter in letters))
    exchanged = []
    real_exchange = QuickText._exchange
    monkeypatch.setattr(QuickText, "_exchange", lambda self, jobs: exchanged.append(len(jobs)) or real_exchange(
        self, jobs))
    with QuickText() as reader:
        with reader.gathered():
            asked = [reader.submit(letter) for letter in letters]
        assert [future.result() for future in asked] == [[f"Letter {i} of the batch"] for i in range(7)]
    assert exchanged == [3, 3, 1]
