"""Theme runs name the staff member who asked for them."""

from __future__ import annotations

from ratusz.accounts.personal_data import NotPersonalData

DECLARATIONS = (
    NotPersonalData(
        model="insight.ThemeRun",
        fields=("requested_by",),
        reason=(
            "Which staff member asked for themes to be found: a record of staff work; emptied "
            "when the account goes."
        ),
    ),
)
