"""Full-text search over document pages, letters and communications: one query function, two engines.

PostgreSQL: websearch_to_tsquery over the page's tsvector column (GIN index), ranked by ts_rank, snippets
by ts_headline; the pages of a quoted phrase are narrowed by a second index, of adjacent word pairs (fts.py).
SQLite: FTS5 MATCH, ranked by bm25, snippets by snippet(). The words a person types are read the same way on
both (web-search syntax: "a phrase", -excluded, a OR b); for FTS5 they are rewritten into quoted terms, so no
input is ever an FTS5 syntax error. Results obey visibility with the request list's own rule
(requests.access.visible_sql; on PostgreSQL its exact complement, hidden_ids_sql), inside the same statement: a
hidden request's pages are never counted, let alone shown. PostgreSQL counts, ranks and shows a page (snippets
included) in one statement; SQLite's snippet() needs a statement of its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from markupsafe import Markup, escape
from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    case,
    cast,
    column,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import aliased

from tracker.auth.models import User
from tracker.documents.fts import CONFIG, FTS_TABLE, PAIRS_COLUMN, PAIRS_QUERY, VECTOR_COLUMN
from tracker.documents.models import KINDS, SearchEntry
from tracker.extensions import db
from tracker.requests.access import hidden_ids_sql, viewer_kind, visible_sql
from tracker.requests.models import RecordsRequest, request_matters

MAX_QUERY = 1000  # characters
MAX_COUNT = 1000  # hits counted exactly; past this the count says "more than 1,000"
PER_PAGE = 20
NEWEST = 20 * MAX_COUNT  # SQLite looks for more than MAX_COUNT hits among this many newest ids first (see below)
FTS = table(FTS_TABLE, column("rowid"), column("rank"))  # SQLite's FTS5 table, outside the metadata
CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")  # until the transaction ends
# What search() sets on PostgreSQL, in one round trip, until the transaction ends: plans made for the words typed
# (as CUSTOM_PLANS), and no JIT compilation: a search's statements run in milliseconds and compiling one costs
# more (12 ms). PostgreSQL compiles a plan whose estimated cost passes jit_above_cost (100,000 by default): none of
# a search's does at 100,000 pages (at most 13,775, a reporter's search filtered by date), but estimates grow with
# the pages.
SEARCH_SETTINGS = text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                       "set_config('jit', 'off', true)")
# The same, and the pairs of the quoted phrases typed (fts.PAIRS_QUERY), in the same round trip.
SEARCH_SETTINGS_PAIRS = text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                             f"set_config('jit', 'off', true), {PAIRS_QUERY}")
START, STOP = "\x02", "\x03"  # snippet markers: control characters never stored in text (worker.clean)


class SearchRefused(ValueError):
    """The search words cannot be searched for; the message says why, in plain words."""


@dataclass
class SearchFilters:
    q: str = ""
    agency_id: int | None = None
    matter_id: int | None = None
    request_id: int | None = None
    kind: str = ""  # a key of KINDS, or "" for all
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class Hit:
    entry_id: int
    request_id: int
    request_title: str
    agency_name: str
    kind: str
    document_id: int | None
    communication_id: int | None
    page: int | None
    occurred_on: date
    title: str
    snippet: Markup
    source: str


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more: bool = False  # more than MAX_COUNT hits
    newest_first: bool = False  # so many hits that they are shown most recently added first, not best first
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


# --- the words ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def clean_query(q: str) -> str:
    q = "".join(ch if ch.isprintable() else " " for ch in (q or ""))
    if len(q) > MAX_QUERY:
        raise SearchRefused(f"Search for at most {MAX_QUERY:,} characters (this is {len(q):,}).")
    return " ".join(q.split())


def parse(q: str) -> tuple[list[list[str]], list[str]]:
    """Web-search syntax into (groups of alternatives that must all match, excluded terms). Each term is the
    words of a phrase joined by spaces; punctuation only separates words, as both engines do."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(q):
        negative, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.upper() == "OR":
                pending_or = bool(groups)
                continue
            negative = "-" if bare.startswith("-") and len(bare) > 1 else ""
            phrase = bare[1:] if negative else bare
        words = _WORD.findall(phrase or "")
        if not words:
            continue
        term = " ".join(words)
        if negative:
            excluded.append(term)
            pending_or = False
        elif pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    return groups, excluded


def fts5_query(q: str, *, exclusions: bool = True) -> str:
    """q as an FTS5 query; without its excluded terms when `exclusions` is false (snippet_query)."""
    groups, excluded = parse(q)
    if not groups:
        raise SearchRefused("Type a word to search for." if not excluded else
                            "Words with a minus sign only leave pages out: add a word to look for.")

    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    parts = [quote(g[0]) if len(g) == 1 else "(" + " OR ".join(quote(t) for t in g) + ")" for g in groups]
    text = " AND ".join(parts)
    for term in excluded if exclusions else ():
        text = f"({text}) NOT {quote(term)}"
    return text


def snippet_query(q: str) -> str:
    """SQLite: the words whose snippets are made for the hits shown, already found by fts5_query(q): the same
    query without its excluded terms. A hit holds no excluded term, in any column, so snippet() marks and scores the
    same words either way; but each hit shown is looked up again in the index of every term of the query (the
    snippet needs a MATCH of its own), and an excluded word is often a common one ("detainee -transfer": a third of
    that statement's time, at 100,000 pages, went to looking up "transfer" for 20 pages that lack it)."""
    return fts5_query(q, exclusions=False)


_PLAIN_PHRASE = re.compile(r"[^\W_]+(?: [^\W_]+)+")
_OR = re.compile(r"(?<![^\W_])or(?![^\W_])", re.IGNORECASE)
_NEGATED = re.compile(r"-[^\w\"]*$")


def required_phrases(q: str) -> list[str]:
    """The quoted phrases that every hit of q holds, as PostgreSQL's websearch_to_tsquery reads q: each one is a
    condition of the whole search, not one side of an OR nor excluded by a minus sign. Only phrases of plain words:
    PostgreSQL splits them into words as the phrase operator does (punctuation may join or split words). When in
    doubt, none: the pairs index then goes unused, and the search is only slower."""
    parts = q.split('"')  # as websearch_to_tsquery pairs quotes (no escapes); a phrase left unclosed is not used
    outside = parts[0::2]
    if any(_OR.search(part) for part in outside):
        return []
    return [parts[n].strip() for n in range(1, len(parts) - 1, 2)
            if _PLAIN_PHRASE.fullmatch(parts[n].strip()) and (n == 1 or parts[n - 1])
            and not _NEGATED.search(parts[n - 1])]


# --- the query ----------------------------------------------------------------------------------------
# The statements are built once per shape (engine, kind of viewer, filters in use) with their values as
# parameters: building a statement costs more than running it when the words are rare.

FILTERS = ("agency_id", "matter_id", "request_id", "kind", "date_from", "date_to")


@dataclass(frozen=True)
class Statements:
    matches: object  # the hits' ids and scores, at most MAX_COUNT + 1 of them, newest first
    newest: object  # SQLite: the ids of the hits among the NEWEST newest ids, at most MAX_COUNT + 1; else None
    recent: object  # one page, most recently added first, for words on more than MAX_COUNT pages: its ids (SQLite),
    # or what is shown of it (PostgreSQL)
    rows: object  # SQLite: what is shown of one page of hits, snippets included; else None
    page: object  # PostgreSQL: the count and what is shown of the page, in one statement (see _page); else None


# What a hit shows: columns, not the entry (its whole text is read only by the snippet, in the database).
SHOWN = (SearchEntry.id, SearchEntry.request_id, SearchEntry.kind, SearchEntry.document_id,
         SearchEntry.communication_id, SearchEntry.page, SearchEntry.occurred_on, SearchEntry.title,
         SearchEntry.source, func.substr(SearchEntry.body, 1, 240).label("opening"))


@functools.cache
def statements(postgres: bool, viewer: str, used: frozenset, pairs: bool = False) -> Statements:
    from tracker.agencies.models import Agency

    words = bindparam("words", type_=String)
    # The request is joined only to decide visibility or the agency; every entry has one (a foreign key). PostgreSQL
    # decides visibility without it: the entry's request looked up among the few the viewer may not see
    # (access.hidden_ids_sql), where joining every request cost more (a hash of all of them, for a reporter).
    hidden = postgres and viewer == "member"
    requests = (viewer != "all" and not hidden) or "agency_id" in used
    entries = postgres or requests or bool(used - {"agency_id"})
    if postgres:
        config = literal_column(f"'{CONFIG}'::regconfig")
        tsquery = func.websearch_to_tsquery(config, words)
        vector = literal_column(f"search_entries.{VECTOR_COLUMN}")
        entry_id = SearchEntry.id
        base = select(entry_id).where(vector.op("@@")(tsquery))
        score = func.ts_rank(vector, tsquery)
    else:
        entry_id = FTS.c.rowid
        base = select(entry_id).select_from(FTS).where(literal_column(FTS_TABLE).op("MATCH")(words))
        if entries:
            base = base.join(SearchEntry, FTS.c.rowid == SearchEntry.id)
        score = -FTS.c.rank  # bm25: lower is better
    if hidden:
        base = base.where(SearchEntry.request_id.not_in(hidden_ids_sql(viewer)))
    if requests:
        base = base.join(RecordsRequest, RecordsRequest.id == SearchEntry.request_id)
    if requests and not hidden:
        base = base.where(visible_sql(viewer))
    if "agency_id" in used:
        base = base.where(RecordsRequest.agency_id == bindparam("agency_id", type_=Integer))
    if "request_id" in used:
        base = base.where(SearchEntry.request_id == bindparam("request_id", type_=Integer))
    if "matter_id" in used:
        base = base.where(exists().where(request_matters.c.request_id == SearchEntry.request_id,
                                         request_matters.c.matter_id == bindparam("matter_id", type_=Integer)))
    if "kind" in used:
        base = base.where(SearchEntry.kind == bindparam("kind", type_=String))
    if "date_from" in used:
        base = base.where(SearchEntry.occurred_on >= bindparam("date_from", type_=Date))
    if "date_to" in used:
        base = base.where(SearchEntry.occurred_on <= bindparam("date_to", type_=Date))
    # One pass over the matches, up to MAX_COUNT + 1 of them, counts them and scores them: when there are at
    # most MAX_COUNT, the page is ranked from these rows rather than by reading the matches again. Newest first:
    # past MAX_COUNT the first pages are these rows; and for a phrase of common words PostgreSQL then walks the
    # newest rows through its buffer cache until it has enough, where a sequential scan reads every page from
    # the disk cache through a small ring (3x slower for "medical staff" at 100,000 pages).
    matches = base.add_columns(score.label("score")).order_by(entry_id.desc()).limit(MAX_COUNT + 1)
    if pairs:
        # PostgreSQL, with quoted phrases: their pages read from the pairs index (fts.py), the tsvector condition
        # still deciding each hit; in the index's order, not newest first: ordered, PostgreSQL would read every
        # page holding the phrase (6,000 for "medical staff") where MAX_COUNT + 1 of them are enough to count.
        # Past MAX_COUNT, the page shown is read by `recent` (newest first, without the pairs: it stops early).
        # Written after the tsvector's condition: a plan that tests both row by row tests the pairs of hits only.
        pairs_vector = literal_column(f"search_entries.{PAIRS_COLUMN}")
        in_pairs = pairs_vector.op("@@")(cast(bindparam("pairs", type_=String), TSQUERY))
        matches = base.where(in_pairs).add_columns(score.label("score")).limit(MAX_COUNT + 1)
    # SQLite's bm25 costs more than finding the hits: its first call counts the pages holding each word or phrase
    # of the search over the whole index (for "medical staff", 20 ms at 100,000 pages, against 2 ms to find the
    # newest 1,001 hits). Past MAX_COUNT hits the scores are not used, so SQLite first looks among the newest
    # NEWEST ids, without scores: a search found more than MAX_COUNT times there has more than MAX_COUNT hits,
    # and these are its newest ones. Looking there costs little when it finds fewer (at most NEWEST entries of
    # the index are read), where reading every hit twice, once to count and once to score, cost 7 ms more for
    # "detainee -transfer".
    newest = None
    if not postgres:
        last = aliased(SearchEntry, name="last_entry")
        newest = (base.where(entry_id > select(func.max(last.id)).scalar_subquery() - NEWEST)
                  .order_by(entry_id.desc()).limit(MAX_COUNT + 1))
    # Ranking every page that holds a common word reads them all (a word on 100,000 pages: seconds), and the
    # order among so many near-equal pages means little; the newest first stops after a page of hits.
    recent = (base.order_by(entry_id.desc()).limit(bindparam("limit", type_=Integer))
              .offset(bindparam("offset", type_=Integer)))
    ids = bindparam("ids", expanding=True)
    if postgres:  # ts_headline reads the page's text again: only for the hits shown
        snip = func.ts_headline(config, SearchEntry.body, tsquery,
                                f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=24, MinWords=8, "
                                'FragmentDelimiter=" … "')
        # The request's title and its agency's name read by small subqueries, not joined: a search's statements are
        # planned for its words every time (search()), and choosing how to join the hits to the requests (two dozen
        # indexes) and the agencies took 0.3-0.45 ms of the page statement's 1-1.5 ms of planning, more than reading
        # the names of 20 hits costs. Every entry has a request and every request an agency (foreign keys, NOT
        # NULL): the same rows as the join.
        of_entry = RecordsRequest.id == SearchEntry.request_id
        agency_id = select(RecordsRequest.agency_id).where(of_entry).correlate(SearchEntry).scalar_subquery()
        named = (select(RecordsRequest.title).where(of_entry).scalar_subquery().label("request_title"),
                 select(Agency.name).where(Agency.id == agency_id).scalar_subquery().label("agency_name"))
        rows = select(*SHOWN, *named, snip.label("snippet"))
    else:  # snippet() works only in a statement that MATCHes: the same words (snippet_query), narrowed to these rows
        snip = func.snippet(literal_column(FTS_TABLE), -1, START, STOP, "…", 20)
        named = (RecordsRequest.title.label("request_title"), Agency.name.label("agency_name"))
        rows = (select(*SHOWN, *named, snip.label("snippet")).select_from(FTS)
                .join(SearchEntry, FTS.c.rowid == SearchEntry.id)
                .where(literal_column(FTS_TABLE).op("MATCH")(bindparam("snippet_words", type_=String)),
                       FTS.c.rowid.in_(ids))
                .join(RecordsRequest, RecordsRequest.id == SearchEntry.request_id)
                .join(Agency, Agency.id == RecordsRequest.agency_id))
    if not postgres:
        return Statements(matches, newest, recent, rows.where(SearchEntry.id.in_(ids)), None)
    # PostgreSQL: what is shown is read by the statement that finds the page, in the same round trip.
    recent = rows.where(SearchEntry.id.in_(select(recent.subquery().c.id))).order_by(SearchEntry.id.desc())
    return Statements(matches, None, recent, None, _page(matches, rows, pairs))


def _page(matches, rows, pairs: bool):
    """PostgreSQL: the count of the matches and the page of hits shown, snippets included, in one statement, where
    the ids and scores of up to MAX_COUNT + 1 hits went to Python to be ranked and came back for the snippets. Its
    first row holds the count (`total`) and, when the page is read from the counted rows, its first hit; a page
    that `recent` must read instead (past MAX_COUNT: a page past the counted rows, or any page of quoted phrases,
    whose matches are not newest first) has no hits here, so no snippet is made for nothing."""
    found = matches.cte("found")
    counted = select(func.count().label("total")).select_from(found).cte("counted")  # one row
    more = counted.c.total > MAX_COUNT
    # Best first, ties in the order they were added; past MAX_COUNT, the newest first (the order of `found`).
    order = (case((more, null()), else_=found.c.score).desc().nulls_last(),
             case((more, -found.c.id), else_=found.c.id))
    first, size = bindparam("offset", type_=Integer), bindparam("limit", type_=Integer)
    counted_page = ~more if pairs else or_(~more, first + size <= counted.c.total)  # as search()'s `counted`
    # The condition on the count (one row) leaves `found` unsorted when the page is not among its rows.
    ranked = (select(found.c.id, func.row_number().over(order_by=order).label("position"))
              .join_from(found, counted, true()).where(counted_page).subquery("ranked"))
    hits = (rows.add_columns(ranked.c.position).join(ranked, ranked.c.id == SearchEntry.id)
            .where(ranked.c.position > first, ranked.c.position <= first + size)
            .subquery("hits"))
    return select(counted.c.total, *hits.c).select_from(counted.outerjoin(hits, true())).order_by(hits.c.position)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def search(user: User, f: SearchFilters, page: int = 1, per_page: int = PER_PAGE) -> Results:
    """The hits this user may see, best first, one page of them, with a snippet each; and how many."""
    q = clean_query(f.q)
    page = max(page, 1)
    postgres = _dialect() == "postgresql"
    words = fts5_query(q)  # refuses input with nothing to look for, on both engines alike
    if postgres:
        words = q  # websearch_to_tsquery reads web-search syntax itself, and never fails
    viewer = viewer_kind(user)
    values = {name: getattr(f, name) for name in FILTERS if getattr(f, name) and
              (name != "kind" or f.kind in KINDS)}
    params = {"words": words, "viewer_id": getattr(user, "id", None), **values}
    pairs = None
    if postgres:
        # A statement run a few times on a connection is prepared (psycopg), and PostgreSQL then plans it once
        # for any words: that plan reads a common word's whole posting list (3x slower). Plan for these words.
        phrases = required_phrases(q)
        if phrases:
            pairs = db.session.execute(SEARCH_SETTINGS_PAIRS, {"phrases": phrases}).one()[-1]
        else:
            db.session.execute(SEARCH_SETTINGS)
    sql = statements(postgres, viewer, frozenset(values), pairs is not None)
    if pairs is not None:
        params["pairs"] = pairs
    first = (page - 1) * per_page
    shown = None  # the page's rows, when read with the count (PostgreSQL: Statements.page)
    if sql.page is not None:
        shown = _rows(sql.page, {**params, "offset": first, "limit": per_page})
        total = shown[0].total
        shown = [row for row in shown if row.id is not None]
    else:
        found = _rows(sql.newest, params) if sql.newest is not None else []
        if len(found) <= MAX_COUNT:
            found = _rows(sql.matches, params)
        total = len(found)
    more = total > MAX_COUNT
    results = Results(total=min(total, MAX_COUNT), more=more, newest_first=more, page=page, per_page=per_page)
    if not total:
        return results
    # Past MAX_COUNT the counted rows are the newest (unless quoted phrases were read from the pairs index): a page
    # among them is read from them, a later one by `recent`.
    counted = not more or (first + per_page <= total and pairs is None)
    if not counted:  # `recent` reads the page: what is shown of it (PostgreSQL), or its ids
        recent = _rows(sql.recent, {**params, "limit": per_page, "offset": first})
        shown = recent if sql.page is not None else None
        ids = [row[0] for row in recent]
    elif shown is None:  # newest first past MAX_COUNT; else best first, ties in the order they were added
        ids = [row[0] for row in (found if more else _best_first(found))[first:first + per_page]]
    if shown is None:
        if not ids:
            return results
        position = {entry_id: n for n, entry_id in enumerate(ids)}
        shown = sorted(_rows(sql.rows, {**params, "ids": ids, "snippet_words": snippet_query(q)}),
                       key=lambda row: position[row.id])
    results.hits = [
        Hit(entry_id=e.id, request_id=e.request_id, request_title=e.request_title, agency_name=e.agency_name,
            kind=e.kind, document_id=e.document_id, communication_id=e.communication_id, page=e.page,
            occurred_on=e.occurred_on, title=e.title, snippet=highlight(e.snippet or e.opening), source=e.source)
        for e in shown]
    return results


def _rows(statement, params: dict) -> list:
    """The rows of one of search's statements, as the database sends them: the ORM's handling of a statement's rows
    (as Session.execute does) cost more than the rest of a search's Python for the 1,000 ids and scores counted.
    The session is flushed first, as Session.execute would."""
    db.session.flush()
    return db.session.connection().execute(statement, params).all()


def _best_first(found: list) -> list:
    """(id, score) rows by score, best first, ties by id (as ORDER BY score DESC, id): two stable sorts with keys
    read in C, not one with a Python key per row."""
    ranked = sorted(found, key=itemgetter(0))
    ranked.sort(key=itemgetter(1), reverse=True)  # stable, reversed too: ties keep their ids' order
    return ranked


def highlight(text: str) -> Markup:
    """A snippet as safe HTML: the text escaped, the matched words in <mark>."""
    escaped = str(escape(text.replace(START, "\x00s").replace(STOP, "\x00e")))
    return Markup(escaped.replace("\x00s", "<mark>").replace("\x00e", "</mark>"))


def plain_snippet(text: str) -> str:
    """A snippet for JSON: the matched words between « and »."""
    return str(text).replace("<mark>", "«").replace("</mark>", "»")


def bare_query_sql(dialect: str, *, newest_first: bool = False) -> str:
    """The engine's own query, as bench/search.py runs it beside search(): same words, same order, no joins."""
    if dialect == "postgresql":
        if newest_first:
            return ("SELECT id FROM search_entries WHERE search_vector @@ websearch_to_tsquery('english', :q) "
                    "ORDER BY id DESC LIMIT 20")
        return ("SELECT id FROM search_entries WHERE search_vector @@ websearch_to_tsquery('english', :q) "
                "ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', :q)) DESC LIMIT 20")
    if newest_first:
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT 20"
    return "SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT 20"
