"""How many examples a property test of the deadline engine tries.

Under mutation testing (bin/mutation sets TRACKER_MUTATION) every mutant reruns these tests, so each tries
a few dozen examples there; the hand-checked example tests do the killing, the properties are a second net.
"""

from __future__ import annotations

import os

MUTATION_EXAMPLES = 25


def examples(full: int) -> int:
    return min(full, MUTATION_EXAMPLES) if os.environ.get("TRACKER_MUTATION") else full
