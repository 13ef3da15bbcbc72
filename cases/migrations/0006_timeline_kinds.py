"""Secrecy marks, access grants, releases, refusals, protected identity and
disposal get kinds of their own on the timeline. Events written before as
internal notes (kind note with data["records"], or data["disposed"]) get
their kind, and their data becomes the payload of that kind
(cases.timeline)."""

from django.db import migrations, models

# data["records"] of an old note: (the kind, the keys its payload has)
OLD_NOTES = {
    "secrecy_marked": ("secrecy_marked", ("provision", "attachment")),
    "secrecy_removed": ("secrecy_removed", ("provision", "attachment")),
    "access_granted": ("access_granted", ("user",)),
    "access_revoked": ("access_revoked", ("user",)),
    "released": ("released", ("release",)),
    "refused": ("refused", ("refusal",)),
}
PROTECTED = ("protected_identity", ("provision",))
DISPOSED = ("disposed", ())


def _new_kind(data):
    if data.get("records") == "secrecy_marked" and data.get("automatic"):
        return PROTECTED
    if "records" in data:
        return OLD_NOTES.get(data["records"])
    if data.get("disposed") is True:
        return DISPOSED
    return None


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    notes = CaseEvent.objects.filter(kind="note").filter(
        models.Q(data__has_key="records") | models.Q(data__has_key="disposed")
    )
    changed = []
    for event in notes.only("pk", "kind", "data").iterator(chunk_size=1000):
        new = _new_kind(event.data or {})
        if new is None:
            continue
        kind, keys = new
        event.kind = kind
        event.data = {key: event.data.get(key) for key in keys}
        changed.append(event)
        if len(changed) >= 1000:
            CaseEvent.objects.bulk_update(changed, ["kind", "data"])
            changed = []
    CaseEvent.objects.bulk_update(changed, ["kind", "data"])


def backwards(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    changed = []
    kinds = {kind for kind, _keys in OLD_NOTES.values()} | {PROTECTED[0], DISPOSED[0]}
    for event in CaseEvent.objects.filter(kind__in=kinds).only("pk", "kind", "data").iterator(chunk_size=1000):
        data = dict(event.data or {})
        if event.kind == DISPOSED[0]:
            data = {"disposed": True}
        elif event.kind == PROTECTED[0]:
            data = {"records": "secrecy_marked", **data, "attachment": None, "automatic": True}
        elif event.kind == "secrecy_marked":
            data = {"records": "secrecy_marked", **data, "automatic": False}
        else:
            data = {"records": event.kind, **data}
        event.kind = "note"
        event.data = data
        changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["kind", "data"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_secrecy_in_cases"),
    ]

    operations = [
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
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
