"""A newsroom with requests that the corpus of agency mail belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from tests.helpers import d, make_agency, make_request, perform
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests.models import Communication


@dataclass
class World:
    denver: int  # 2026-ICFO-01234, reporter's; a letter we sent with Message-ID <letter-sent-1@newsroom.example>
    still: int  # 2026-ICFO-00881, reporter's
    dallas: int  # 2026-ICFO-00213, other reporter's, private
    kallas: int  # 2026-ICFO-00057, reporter's
    appeal: int  # DOJ OIP appeal A-2026-00417, reporter's
    tokens: dict[int, str]

    def token_for(self, name: str) -> str:
        """The reply tag each corpus message is sent to."""
        by_name = {"ice_still_interested": self.still, "ice_no_records": self.dallas,
                   "ice_final_response_scanned": self.dallas}
        if name in ("doj_oip_appeal_ack", "state_agency_letter"):
            return "nomatch2345"
        return self.tokens[by_name.get(name, self.denver)]


def build(users) -> World:
    ice = make_agency()
    ice.mail_domains = "ice.dhs.gov, dhs.gov"
    oip = make_agency("DOJ Office of Information Policy", "OIP", "US-DOJ")
    oip.mail_domains = "usdoj.gov"
    made = {}
    for key, owner, agency, number, private in (
        ("denver", "reporter", ice, "2026-ICFO-01234", False), ("still", "reporter", ice, "2026-ICFO-00881", False),
        ("dallas", "other_reporter", ice, "2026-ICFO-00213", True),
        ("kallas", "reporter", ice, "2026-ICFO-00057", False),
        ("appeal", "reporter", oip, "A-2026-00417", False),
    ):
        req = make_request(users[owner], agency, title=f"OPR report {key}", private=private)
        perform(req, "file", users[owner], on=d("2026-10-30"), channel="portal", tracking_number=number)
        made[key] = req
    letter = Communication(request=made["denver"], direction="out", channel="email", occurred_on=d("2026-11-04"),
                           subject="Freedom of Information Act request - OPR report, Denver",
                           message_id="<letter-sent-1@newsroom.example>", created_at=now_utc())
    db.session.add(letter)
    db.session.commit()
    return World(**{k: r.id for k, r in made.items()}, tokens={r.id: r.reply_token for r in made.values()})
