"""Exports and theme runs name the staff member who asked for them."""

from __future__ import annotations

from ratusz.accounts.personal_data import NotPersonalData

DECLARATIONS = (
    NotPersonalData(
        model="reports.Export",
        fields=("requested_by",),
        reason=(
            "Which staff member asked for an export of the city's data: a record of staff "
            "work (the file is the city's and expires); emptied when the account goes."
        ),
    ),
)
