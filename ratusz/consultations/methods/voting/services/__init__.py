"""Writes of voting, one module per topic: ballots (filling, submitting and withdrawing them, the
ideas on the ballot, paper votes), census lists, one-time voting codes; verification holds what
the census and the codes share (hashed identifiers, limits on guesses). The public names are
re-exported here, so callers keep writing `services.add_vote(...)`.
"""

from ratusz.consultations.methods.voting.services.ballots import (
    add_candidate,
    add_paper_votes,
    add_vote,
    delete_paper_votes,
    import_candidates,
    is_budget,
    money,
    remove_vote,
    submit_ballot,
    update_candidate,
    withdraw_ballot,
)
from ratusz.consultations.methods.voting.services.census import (
    MAX_CENSUS_FILE_MB,
    MAX_CENSUS_ROWS,
    CensusReport,
    RowProblem,
    census_size,
    upload_census,
    verify_with_census,
)
from ratusz.consultations.methods.voting.services.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_CODES,
    generate_codes,
    redeem_code,
)
from ratusz.consultations.methods.voting.services.refusals import (
    NotAllowed,
    Refused,
)
from ratusz.consultations.methods.voting.services.verification import (
    ATTEMPTS_PER_CITY_PER_HOUR,
    ATTEMPTS_PER_HOUR,
    ATTEMPTS_PER_IP_PER_HOUR,
    normalize_identifier,
    pesel_is_valid,
)

__all__ = [
    "ATTEMPTS_PER_CITY_PER_HOUR",
    "ATTEMPTS_PER_HOUR",
    "ATTEMPTS_PER_IP_PER_HOUR",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_CENSUS_FILE_MB",
    "MAX_CENSUS_ROWS",
    "MAX_CODES",
    "CensusReport",
    "NotAllowed",
    "Refused",
    "RowProblem",
    "add_candidate",
    "add_paper_votes",
    "add_vote",
    "census_size",
    "delete_paper_votes",
    "generate_codes",
    "import_candidates",
    "is_budget",
    "money",
    "normalize_identifier",
    "pesel_is_valid",
    "redeem_code",
    "remove_vote",
    "submit_ballot",
    "update_candidate",
    "upload_census",
    "verify_with_census",
    "withdraw_ballot",
]
