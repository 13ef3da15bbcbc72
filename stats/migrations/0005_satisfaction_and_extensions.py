"""The statistics count extensions, in time against the original due date
and the satisfaction survey. The rows of the cases there are now get their
new facts from the cases (no survey exists yet), and every month is marked
dirty, so the pages count live until the worker has rebuilt the summary with
the new counts."""

from django.db import migrations, models


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """UPDATE stats_casestat SET
                original_due_date = (SELECT c.original_due_date FROM cases_case c WHERE c.id = stats_casestat.case_id),
                extended = COALESCE((SELECT c.due_date > c.original_due_date FROM cases_case c
                    WHERE c.id = stats_casestat.case_id), FALSE),
                answered_in_time_original = (SELECT c.answered_in_time_original FROM cases_case c
                    WHERE c.id = stats_casestat.case_id),
                closed_in_time_original = (SELECT CASE WHEN c.status = 'closed' THEN c.closed_in_time_original END
                    FROM cases_case c WHERE c.id = stats_casestat.case_id)"""
        )
    CaseStat = apps.get_model("stats", "CaseStat")
    DirtyMonth = apps.get_model("stats", "DirtyMonth")
    months = [d.replace(day=1) for d in CaseStat.objects.dates("received_date", "month")]
    DirtyMonth.objects.bulk_create([DirtyMonth(month=m, version=1) for m in months], ignore_conflicts=True)
    DirtyMonth.objects.filter(month__in=months).update(version=models.F("version") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_summary_by_filter"),
        ("cases", "0009_satisfaction_extensions_improvements"),
    ]

    operations = [
        migrations.AddField(
            model_name="casestat",
            name="answered_in_time_original",
            field=models.BooleanField(null=True),
        ),
        migrations.AddField(
            model_name="casestat",
            name="closed_in_time_original",
            field=models.BooleanField(null=True),
        ),
        migrations.AddField(
            model_name="casestat",
            name="extended",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="casestat",
            name="original_due_date",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="casestat",
            name="survey_asked",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="casestat",
            name="survey_got_answer",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddField(
            model_name="casestat",
            name="survey_score",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="answered_in_time_original",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="closed_in_time_original",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="extended",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="survey_asked",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="survey_got_answer",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="survey_responses",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="survey_satisfied",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthsummary",
            name="survey_score_sum",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
