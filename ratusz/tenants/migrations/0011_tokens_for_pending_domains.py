"""Give every custom domain still waiting for verification its ownership token (new ones get
theirs when added): from now on only a TXT record with it, or a CNAME to the city's own
subdomain, verifies a domain."""

import secrets

from django.db import migrations


def give_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    model = apps.get_model("tenants", "Domain")
    for domain in model.objects.filter(verified_at__isnull=True, verification_token=""):
        domain.verification_token = secrets.token_urlsafe(24)
        domain.save(update_fields=["verification_token"])


class Migration(migrations.Migration):
    dependencies = [("tenants", "0010_domain_claims_and_ownership_token")]

    operations = [migrations.RunPython(give_tokens, migrations.RunPython.noop)]
