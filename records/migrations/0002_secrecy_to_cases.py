"""Secrecy provisions, secrecy marks and access grants now belong to the
cases app (cases migration 0005). Their tables and rows stay; only Django's
state changes: the models leave the records app, and a refusal's provision
points at cases.SecrecyProvision, the same table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_secrecy_in_cases"),
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="secrecymark",
                    name="attachment",
                ),
                migrations.RemoveField(
                    model_name="secrecymark",
                    name="case",
                ),
                migrations.RemoveField(
                    model_name="secrecymark",
                    name="marked_by",
                ),
                migrations.RemoveField(
                    model_name="secrecymark",
                    name="provision",
                ),
                migrations.RemoveField(
                    model_name="secrecymark",
                    name="removed_by",
                ),
                migrations.AlterField(
                    model_name="refusal",
                    name="provision",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.secrecyprovision",
                        verbose_name="provision",
                    ),
                ),
                migrations.DeleteModel(
                    name="AccessGrant",
                ),
                migrations.DeleteModel(
                    name="SecrecyMark",
                ),
                migrations.DeleteModel(
                    name="SecrecyProvision",
                ),
            ],
        ),
    ]
