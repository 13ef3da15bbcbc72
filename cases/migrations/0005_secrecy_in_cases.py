"""Secrecy provisions, secrecy marks and access grants move from the records
app into the case domain. Their tables stay as they are (db_table keeps the
old names), so this changes Django's state only; records' migration 0002
removes them from the records app's state after this one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_list_covering_indexes"),
        ("records", "0001_initial"),  # the tables exist before cases owns them
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SecrecyProvision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                help_text="A short stable key, e.g. OSL 21:3.",
                                max_length=40,
                                unique=True,
                                verbose_name="code",
                            ),
                        ),
                        (
                            "reference",
                            models.CharField(
                                help_text="As written in decisions, e.g. 21 kap. 3 § OSL.",
                                max_length=100,
                                verbose_name="provision",
                            ),
                        ),
                        ("label", models.CharField(max_length=300, verbose_name="plain description")),
                        ("position", models.PositiveSmallIntegerField(default=100, verbose_name="position")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "secrecy provision",
                        "verbose_name_plural": "secrecy provisions",
                        "db_table": "records_secrecyprovision",
                        "ordering": ["position", "reference"],
                    },
                ),
                migrations.CreateModel(
                    name="AccessGrant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("reason", models.TextField(verbose_name="reason")),
                        ("granted_at", models.DateTimeField(verbose_name="given")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="withdrawn")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="access_grants",
                                to="cases.case",
                                verbose_name="case",
                            ),
                        ),
                        (
                            "granted_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="given by",
                            ),
                        ),
                        (
                            "revoked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="withdrawn by",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="access_grants",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="given to",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "access grant",
                        "verbose_name_plural": "access grants",
                        "db_table": "records_accessgrant",
                        "ordering": ["granted_at", "id"],
                        "indexes": [models.Index(fields=["user", "revoked_at"], name="grant_user_active")],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("revoked_at__isnull", True)),
                                fields=("case", "user"),
                                name="one_active_grant",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SecrecyMark",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("marked_at", models.DateTimeField(verbose_name="marked")),
                        ("review_on", models.DateField(blank=True, null=True, verbose_name="review on")),
                        ("automatic", models.BooleanField(default=False, verbose_name="marked automatically")),
                        ("removed_at", models.DateTimeField(blank=True, null=True, verbose_name="removed")),
                        ("removal_reason", models.TextField(blank=True, verbose_name="reason for removal")),
                        (
                            "attachment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="secrecy_marks",
                                to="cases.attachment",
                                verbose_name="attachment",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="secrecy_marks",
                                to="cases.case",
                                verbose_name="case",
                            ),
                        ),
                        (
                            "marked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="marked by",
                            ),
                        ),
                        (
                            "removed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="removed by",
                            ),
                        ),
                        (
                            "provision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.secrecyprovision",
                                verbose_name="provision",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "secrecy mark",
                        "verbose_name_plural": "secrecy marks",
                        "db_table": "records_secrecymark",
                        "ordering": ["marked_at", "id"],
                        "indexes": [models.Index(fields=["case", "removed_at"], name="mark_case_active")],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("attachment__isnull", True), ("removed_at__isnull", True)),
                                fields=("case",),
                                name="one_active_case_mark",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("attachment__isnull", False), ("removed_at__isnull", True)),
                                fields=("attachment",),
                                name="one_active_attachment_mark",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
