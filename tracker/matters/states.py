"""The disclosure states of a matter, from least to most disclosed: the ledger derives one for each matter, and
an editor may set one by hand with a reason."""

NOT_REQUESTED = "not_requested"
PENDING = "pending"
WITHHELD = "withheld"
PARTLY_DISCLOSED = "partly_disclosed"
DISCLOSED = "disclosed"

STATES: dict[str, str] = {
    NOT_REQUESTED: "Not yet requested",
    PENDING: "Requested, pending",
    WITHHELD: "Withheld",
    PARTLY_DISCLOSED: "Partly disclosed",
    DISCLOSED: "Disclosed",
}
