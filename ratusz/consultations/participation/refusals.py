"""The refusals shared by ideation, moderation and the smaller methods (events, proposals,
volunteering): one pair of classes, so a view catches the same two whichever of them it calls.
They live in the participation layer so that those methods need not import ideation."""

from __future__ import annotations

from ratusz import errors
from ratusz.consultations.core.rules import Decision


class NotAllowed(PermissionError):
    """The person may not do this now; `decision` says why and what to do."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class Refused(errors.Refused, ValueError):
    """The request cannot be carried out as asked; the message says why."""

    # The code these refusals had when they were ideation's alone; programs may know it.
    code = "ideation_refused"
