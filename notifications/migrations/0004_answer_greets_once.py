"""The answer e-mail greets and signs off once: the shipped templates that
no administrator has edited get the new wording (notifications.defaults).
The receipt says "Du får svar senast" instead of "Vi svarar senast"."""

from django.db import migrations

from notifications.defaults import DEFAULT_TEMPLATES

OLD = {
    "sv": (
        "Hej!\n\nVi har besvarat ditt ärende {{ case_number }} ({{ case_type }}, {{ category }}).\n\n"
        "{% if answer_text %}Vårt svar:\n\n{{ answer_text }}\n\n{% endif %}"
        "{% if signed_in %}Du kan läsa {% if answer_text %}svaret{% else %}vårt svar{% endif %} på Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Ange ärendenumret om du kontaktar oss om ärendet."
        "\n\nMed vänlig hälsning\n{{ municipality_name }}\n\nDet här meddelandet går inte att svara på."
    ),
    "en": (
        "Hello,\n\nWe have answered your case {{ case_number }} ({{ case_type }}, {{ category }}).\n\n"
        "{% if answer_text %}Our answer:\n\n{{ answer_text }}\n\n{% endif %}"
        "{% if signed_in %}You can read {% if answer_text %}the answer{% else %}our answer{% endif %} on Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Please give the case number if you contact us about it."
        "\n\nKind regards\n{{ municipality_name }}\n\nPlease do not reply to this message."
    ),
}


def forwards(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for language, old in OLD.items():
        _subject, new = DEFAULT_TEMPLATES[("answered", "email", language)]
        MessageTemplate.objects.filter(key="answered", channel="email", language=language, body_text=old).update(
            body_text=new
        )
    for template in MessageTemplate.objects.filter(
        key="receipt", language="sv", body_text__contains="Vi svarar senast"
    ):
        template.body_text = template.body_text.replace("Vi svarar senast", "Du får svar senast")
        template.save(update_fields=["body_text"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_subject_key")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
