"""Why a write of voting did not happen: the person may not vote now, or the request is refused."""

from __future__ import annotations

from ratusz import errors
from ratusz.consultations.core.rules import Decision


class NotAllowed(PermissionError):
    """The person may not vote now; `decision` says why and what to do."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class Refused(errors.Refused, ValueError):
    """The request cannot be carried out as asked; the message says why."""

    code = "voting_refused"
