"""The audit log is append-only, enforced by the database: UPDATE and DELETE of
platform_auditentry raise an error whoever asks. (TRUNCATE is left to the database owner:
Django's test flush uses it.)"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION platform_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER platform_audit_append_only
    BEFORE UPDATE OR DELETE ON platform_auditentry
    FOR EACH ROW EXECUTE FUNCTION platform_audit_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS platform_audit_append_only ON platform_auditentry;
DROP FUNCTION IF EXISTS platform_audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("platform", "0001_console_records")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
