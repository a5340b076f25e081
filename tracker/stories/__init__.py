"""The newsroom's published stories and the records they came from: a story is linked to the matters and
requests it reported on and to the documents (attachments) it used. The ledger reads them to show a matter as
"Published"; the board's strip counts the year's stories (queries.stories_published_in).

A layer of its own between requests and the ledger: it reads requests, matters and their attachments, and
the ledger, the API and the board read it."""
