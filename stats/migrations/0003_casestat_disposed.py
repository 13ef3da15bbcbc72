from django.db import migrations, models


def mark_disposed(apps, schema_editor):
    """Carry over the cases disposed of so far: until now the statistics read
    whether they could be answered from retention's disposal mark; their rows
    already hold that value, so marking them keeps it."""
    CaseStat = apps.get_model("stats", "CaseStat")
    DisposedCase = apps.get_model("retention", "DisposedCase")
    for mark in DisposedCase.objects.values("case_id", "answerable").iterator():
        CaseStat.objects.filter(case_id=mark["case_id"]).update(disposed=True, answerable=mark["answerable"])


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_month_summary"),
        ("retention", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="casestat",
            name="disposed",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_disposed, migrations.RunPython.noop),
    ]
