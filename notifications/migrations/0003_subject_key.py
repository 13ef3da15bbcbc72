"""The outbox stops pointing at cases: what a message is about becomes an
opaque, indexed subject key ("case:<id>"), carried over from the case
column before it is dropped. Staff retries are counted and dated."""

from django.db import migrations, models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat


def case_to_subject_key(apps, schema_editor) -> None:
    OutboundMessage = apps.get_model("notifications", "OutboundMessage")
    OutboundMessage.objects.filter(case__isnull=False).update(
        subject_key=Concat(Value("case:"), Cast("case_id", CharField()), output_field=CharField())
    )


def subject_key_to_case(apps, schema_editor) -> None:
    OutboundMessage = apps.get_model("notifications", "OutboundMessage")
    Case = apps.get_model("cases", "Case")
    rows = OutboundMessage.objects.filter(subject_key__startswith="case:").only("pk", "subject_key")
    for message in rows.iterator(chunk_size=1000):
        number = message.subject_key.removeprefix("case:")
        if number.isdigit() and Case.objects.filter(pk=int(number)).exists():
            OutboundMessage.objects.filter(pk=message.pk).update(case_id=int(number))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("notifications", "0002_stats_monthly_template"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundmessage",
            name="subject_key",
            field=models.CharField(blank=True, db_index=True, max_length=100, verbose_name="about"),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="retried_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent again"),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="retries",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="times sent again"),
        ),
        migrations.RunPython(case_to_subject_key, subject_key_to_case),
        migrations.RemoveField(
            model_name="outboundmessage",
            name="case",
        ),
    ]
