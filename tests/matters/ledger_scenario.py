"""Six OPR matters, one in each disclosure state (and one only a private request knows), built through
the real services with the clock frozen at Monday 2026-11-30."""

from __future__ import annotations

from datetime import date

from tests.helpers import d, make_agency, make_request, perform
from tracker.extensions import db
from tracker.matters.models import Matter, MatterCategory, Source
from tracker.requests import documents


def _matter(title: str, category=MatterCategory.ADMINISTRATIVE, **fields) -> Matter:
    matter = Matter(title=title, category=category, **fields)
    db.session.add(matter)
    db.session.flush()
    return matter


def build(users: dict[str, int]) -> dict[str, int]:
    rep, other = users["reporter"], users["other_reporter"]
    ice = make_agency()
    doj = make_agency("DOJ Office of Information Policy", "OIP", "US-DOJ")
    kallas = _matter("Kallas corruption case", MatterCategory.CRIMINAL, place="Los Angeles")
    dallas = _matter("Dallas counsel posts", opr_case_number="OPR-2025-0042")
    death = _matter("Denver death cards")
    oig = _matter("OIG-19-14 corrective actions", MatterCategory.SYSTEMIC)
    scale = _matter("Scale of OPR inquiries", MatterCategory.SYSTEMIC)
    hidden = _matter("Only a private request knows")
    ids = {"ice": ice.id, "doj": doj.id, "kallas": kallas.id, "dallas": dallas.id, "death": death.id,
           "oig": oig.id, "scale": scale.id, "hidden": hidden.id}

    def make(name, owner, agency, matter, private=False):
        req = make_request(owner, agency, title=name, private=private)
        req.matters = [matter]
        ids[name] = req.id
        return req

    k = make("Kallas ROI", rep, doj, kallas)
    perform(k, "file", rep, on=d("2026-03-02"), channel="portal")
    perform(k, "determine", rep, on=d("2026-05-01"), outcome="denied", exemptions=["b6", "b7A"])
    perform(k, "appeal", rep, on=d("2026-05-11"))
    perform(k, "decide_appeal", rep, on=d("2026-07-01"), outcome="affirmed", exemptions=["b7A"])

    dl = make("Dallas OPR review", rep, ice, dallas)
    perform(dl, "file", rep, on=d("2026-09-01"), channel="portal")
    perform(dl, "determine", rep, on=d("2026-11-10"), outcome="granted_in_part", exemptions=["b6", "b7C"],
            pages_released=14, pages_withheld=31)
    documents.add_documents(documents.latest_determination(dl, "initial"), [
        documents.DocumentInput("Report of investigation", 30, 20, 5, "(b)(6), (b)(7)(C)"),
        documents.DocumentInput("Disciplinary decision memo", 15, 6, 0, "b6 b7E"),
    ])

    dc = make("Death card ROI", rep, ice, death)
    perform(dc, "file", rep, on=d("2026-10-15"), channel="portal")
    perform(dc, "acknowledge", rep, on=d("2026-10-16"), tracking_number="2026-ICFO-00881")

    o = make("OIG corrective actions", rep, ice, oig)
    perform(o, "file", rep, on=d("2026-06-01"), channel="portal")
    oig.sources.append(Source(title="OIG-19-14", publisher="DHS OIG", published_on=date(2026, 8, 3),
                              official_report=True))

    make("Scale statistics", rep, ice, scale)  # a draft: not requested

    h = make("Hidden matter request", other, ice, hidden, private=True)
    perform(h, "file", other, on=d("2026-11-02"), channel="portal")
    db.session.commit()
    return ids
