"""Satisfaction surveys, extensions of one case's due date and delay
notices, improvements ("Du sa – vi gjorde").

Every case gets its original due date: the one its "registered" event
recorded (the date the receipt gave), else its due date. The in-time
verdicts against it are filled from the stored ones where the due date never
moved, and otherwise from the first answer and the (latest) closing."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TZ = "Europe/Stockholm"


def fill_original_due_dates(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        registered_due = "(e.data->>'due_date')::date"
        answered = f"(c.first_answered_at AT TIME ZONE '{TZ}')::date"
        closed = f"(c.closed_at AT TIME ZONE '{TZ}')::date"
    else:
        registered_due = "date(json_extract(e.data, '$.due_date'))"
        answered = f"django_datetime_cast_date(c.first_answered_at, '{TZ}', 'UTC')"
        closed = f"django_datetime_cast_date(c.closed_at, '{TZ}', 'UTC')"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The updates fire the deferred foreign-key checks now, so that
            # none are pending when the column is made NOT NULL below.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"""UPDATE cases_case SET original_due_date = COALESCE(
                (SELECT {registered_due} FROM cases_caseevent e
                 WHERE e.case_id = cases_case.id AND e.kind = 'registered' ORDER BY e.id LIMIT 1),
                cases_case.due_date)"""
        )
        cursor.execute(
            f"""UPDATE cases_case SET
                answered_in_time_original = (SELECT CASE
                    WHEN c.first_answered_at IS NULL THEN NULL
                    WHEN c.original_due_date = c.due_date THEN c.answered_in_time
                    ELSE {answered} <= c.original_due_date END
                    FROM cases_case c WHERE c.id = cases_case.id),
                closed_in_time_original = (SELECT CASE
                    WHEN c.closed_in_time IS NULL OR c.closed_at IS NULL THEN NULL
                    WHEN c.original_due_date = c.due_date THEN c.closed_in_time
                    ELSE {closed} <= c.original_due_date END
                    FROM cases_case c WHERE c.id = cases_case.id)"""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_staff_registration_and_public_texts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="answered_in_time_original",
            field=models.BooleanField(blank=True, null=True, verbose_name="answered in time (original due date)"),
        ),
        migrations.AddField(
            model_name="case",
            name="closed_in_time_original",
            field=models.BooleanField(blank=True, null=True, verbose_name="closed in time (original due date)"),
        ),
        migrations.AddField(
            model_name="case",
            name="extended_to",
            field=models.DateField(blank=True, null=True, verbose_name="due date set by a unit head"),
        ),
        migrations.AddField(
            model_name="case",
            name="original_due_date",
            field=models.DateField(null=True, verbose_name="original due date"),
        ),
        migrations.RunPython(fill_original_due_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="original_due_date",
            field=models.DateField(verbose_name="original due date"),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("registered", "Registered"),
                    ("routed", "Routed"),
                    ("assigned", "Assigned"),
                    ("note", "Internal note"),
                    ("answered", "Answered"),
                    ("status_changed", "Status changed"),
                    ("closed", "Closed"),
                    ("reopened", "Reopened"),
                    ("citizen_message", "Message from the sender"),
                    ("notification", "Notification"),
                    ("deadline_changed", "Due date changed"),
                    ("deadline_flag", "Deadline flag"),
                    ("contact_changed", "Contact details changed"),
                    ("secrecy_marked", "Marked as secret"),
                    ("protected_identity", "Marked as secret: protected personal data"),
                    ("secrecy_removed", "Secrecy mark removed"),
                    ("access_granted", "Right to read given"),
                    ("access_revoked", "Right to read withdrawn"),
                    ("released", "Copy released"),
                    ("refused", "Copy refused"),
                    ("disposed", "Personal data disposed of"),
                    ("deadline_extended", "Due date extended"),
                    ("survey_answered", "Satisfaction survey answered"),
                    ("improvement_linked", "Linked to an improvement"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="pauseperiod",
            name="reason",
            field=models.CharField(
                help_text="Senders whose answer is delayed by the pause period are told this reason with the new date. Write it for them, for example: the summer holidays.",
                max_length=200,
                verbose_name="reason",
            ),
        ),
        migrations.CreateModel(
            name="Improvement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "description",
                    models.TextField(
                        blank=True, help_text="For staff: what should change and why.", verbose_name="description"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("proposed", "Proposed"), ("planned", "Planned"), ("done", "Done")],
                        default="proposed",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "public_text",
                    models.TextField(
                        blank=True,
                        help_text="Shown on the public page when published. No names or other personal data.",
                        verbose_name="public text",
                    ),
                ),
                ("done_on", models.DateField(blank=True, null=True, verbose_name="done on")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published")),
                ("created_at", models.DateTimeField(verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="improvements",
                        to="cases.unit",
                        verbose_name="owning unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "improvement",
                "verbose_name_plural": "improvements",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ImprovementCase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("linked_at", models.DateTimeField(verbose_name="linked")),
                (
                    "answer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="improvement_links",
                        to="cases.answer",
                        verbose_name="answer",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="improvement_links",
                        to="cases.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "improvement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="cases.improvement",
                        verbose_name="improvement",
                    ),
                ),
                (
                    "linked_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="linked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "case of an improvement",
                "verbose_name_plural": "cases of improvements",
                "ordering": ["linked_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="improvement",
            name="cases",
            field=models.ManyToManyField(
                related_name="improvements",
                through="cases.ImprovementCase",
                to="cases.case",
                verbose_name="cases that asked for it",
            ),
        ),
        migrations.CreateModel(
            name="SatisfactionSurvey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "token_hash",
                    models.CharField(
                        blank=True, max_length=64, null=True, unique=True, verbose_name="hash of the link's token"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="asked")),
                ("expires_at", models.DateTimeField(verbose_name="open until")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                ("score", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="satisfaction (1–5)")),
                (
                    "got_answer",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("partly", "Partly"), ("no", "No")],
                        max_length=10,
                        verbose_name="got an answer",
                    ),
                ),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="survey",
                        to="cases.case",
                        verbose_name="case",
                    ),
                ),
            ],
            options={
                "verbose_name": "satisfaction survey",
                "verbose_name_plural": "satisfaction surveys",
            },
        ),
        migrations.AddConstraint(
            model_name="improvementcase",
            constraint=models.UniqueConstraint(fields=("improvement", "case"), name="unique_improvement_case"),
        ),
        migrations.AddIndex(
            model_name="improvement",
            index=models.Index(fields=["status", "unit"], name="improvement_status_unit"),
        ),
        migrations.AddConstraint(
            model_name="improvement",
            constraint=models.CheckConstraint(
                condition=models.Q(("published_at__isnull", True), ("status", "done"), _connector="OR"),
                name="improvement_published_only_when_done",
            ),
        ),
        migrations.AddConstraint(
            model_name="satisfactionsurvey",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("score__isnull", True), models.Q(("score__gte", 1), ("score__lte", 5)), _connector="OR"
                ),
                name="survey_score_1_to_5",
            ),
        ),
    ]
