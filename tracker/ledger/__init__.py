"""The ledger: a read model over matters and their requests. The derived disclosure state of each OPR matter,
the undisclosed ledger, its exports, and the facts a matter page shows."""
