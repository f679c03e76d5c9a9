"""The database's own guard on ballots (see ratusz/consultations/methods/voting/models.py).

A row trigger on ballot items locks the ballot row (SELECT ... FOR UPDATE) and re-counts the
ballot's items in the same transaction. Because the lock is taken before counting, two
transactions adding to the same ballot at once run one after the other, and the second counts
what the first committed (each statement of a volatile PL/pgSQL function takes a new snapshot
under READ COMMITTED). A CHECK constraint cannot do this: it sees only its own row.

The function is created in the city's schema (the first on the search path while the city's
migrations run) and names tables without a schema, so each city's trigger reads its own tables.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION voting_ballot_item_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    b RECORD;
    item_phase bigint;
    total_votes bigint;
    total_cost bigint;
BEGIN
    SELECT id, phase_id, status, vote_limit, idea_limit, spend_limit INTO b
      FROM voting_ballot WHERE id = NEW.ballot_id FOR UPDATE;
    IF b.status <> 'draft' THEN
        RAISE EXCEPTION 'voting: ballot % is submitted and cannot change', b.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'voting_ballot_frozen';
    END IF;
    SELECT phase_id INTO item_phase FROM voting_candidate WHERE id = NEW.candidate_id;
    IF item_phase IS DISTINCT FROM b.phase_id THEN
        RAISE EXCEPTION 'voting: candidate % is not on the ballot of phase %', NEW.candidate_id, b.phase_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'voting_item_same_phase';
    END IF;
    IF NEW.votes > b.idea_limit THEN
        RAISE EXCEPTION 'voting: % votes for one idea, at most % allowed', NEW.votes, b.idea_limit
            USING ERRCODE = 'check_violation', CONSTRAINT = 'voting_idea_limit';
    END IF;
    SELECT COALESCE(SUM(votes), 0), COALESCE(SUM(cost), 0) INTO total_votes, total_cost
      FROM voting_ballotitem WHERE ballot_id = b.id;
    IF total_votes > b.vote_limit THEN
        RAISE EXCEPTION 'voting: ballot % has % votes, at most % allowed', b.id, total_votes, b.vote_limit
            USING ERRCODE = 'check_violation', CONSTRAINT = 'voting_vote_limit';
    END IF;
    IF b.spend_limit IS NOT NULL AND total_cost > b.spend_limit THEN
        RAISE EXCEPTION 'voting: ballot % costs %, the budget is %', b.id, total_cost, b.spend_limit
            USING ERRCODE = 'check_violation', CONSTRAINT = 'voting_spend_limit';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER voting_ballot_item_guard
AFTER INSERT OR UPDATE ON voting_ballotitem
FOR EACH ROW EXECUTE FUNCTION voting_ballot_item_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS voting_ballot_item_guard ON voting_ballotitem;
DROP FUNCTION IF EXISTS voting_ballot_item_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_ballots_codes_census")]

    operations = [migrations.RunSQL(CREATE, DROP)]
