from decimal import Decimal

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0001_signup_links_templates_partners"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnerorganisation",
            name="commission_rate",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("10.00"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="commission rate (%)",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnerorganisation",
            constraint=models.CheckConstraint(
                condition=models.Q(("commission_rate__gte", 0), ("commission_rate__lte", 100)),
                name="partner_commission_rate_percent",
            ),
        ),
    ]
