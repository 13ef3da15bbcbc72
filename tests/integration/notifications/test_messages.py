"""Delivery from the outbox, the message templates, and failures shown to staff."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseEvent
from cases.notices import subject_key
from cases.services import ContactData
from notifications import services
from notifications.choices import TemplateKey
from notifications.models import MessageTemplate, OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case
from tests.integration.cases.helpers import signed_in
from tests.integration.notifications.servers import free_port

pytestmark = pytest.mark.django_db


def _category(unit_email="enhet@burlov.example"):
    return CategoryFactory(
        name="Gator och parker", name_en="Streets and parks", default_unit=UnitFactory(email=unit_email)
    )


def test_deliver_sends_once_with_text_and_html_and_a_stable_message_id():
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    assert services.message_deliver(message_id=message.pk).status == "sent"
    assert services.message_deliver(message_id=message.pk).status == "sent"  # already sent: nothing happens
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["eva@example.se"] and sent.alternatives[0][1] == "text/html"
    assert sent.extra_headers["Message-ID"] == message.message_id_header
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_message_id) == ("sent", 1, message.message_id_header)
    assert message.sent_at is not None


def test_a_message_being_sent_by_another_worker_is_left_alone():
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_started_at=timezone.now()
    )
    assert services.message_deliver(message_id=message.pk).status == "in_flight"
    assert mail.outbox == []


def test_a_message_left_sending_past_the_timeout_is_sent_again(settings):
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 60
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_started_at=timezone.now() - timezone.timedelta(seconds=61)
    )
    assert services.message_deliver(message_id=message.pk).status == "sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"] == message.message_id_header


def test_retry_of_a_sent_message_is_refused():
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    services.message_deliver(message_id=message.pk)
    with pytest.raises(services.NotificationError):
        services.message_retry(message=message, recipient="x@example.se")


def test_edited_sms_template_too_long_is_refused_with_a_clear_message():
    template = MessageTemplate(key="receipt", channel="sms", language="sv", body_text="x" * 400)
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "320" in str(error.value)


def test_edited_template_with_a_syntax_error_is_refused():
    template = MessageTemplate(key="receipt", channel="email", language="sv", subject="Hej", body_text="{% if %}")
    with pytest.raises(ValidationError):
        template.full_clean()


def test_shipped_templates_all_pass_their_own_checks():
    from notifications.defaults import ensure_templates

    ensure_templates()
    templates = list(MessageTemplate.objects.all())
    # Every message has an e-mail in Swedish and English; the sender's
    # messages have an SMS too, staff's never.
    senders = {"receipt", "answered", "closed", "delayed", "overdue", "info_request", "tracking_link", "duplicate_news"}
    expected = {(key, "email", language) for key in TemplateKey.values for language in ("sv", "en")}
    expected |= {(key, "sms", language) for key in senders for language in ("sv", "en")}
    assert {(t.key, t.channel, t.language) for t in templates} == expected
    for template in templates:
        template.full_clean()


def test_administrators_edit_is_used_and_never_overwritten():
    from notifications.defaults import ensure_templates

    ensure_templates()
    MessageTemplate.objects.filter(key="receipt", channel="email", language="sv").update(
        subject="Tack! {{ case_number }}"
    )
    ensure_templates()
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"))
    assert OutboundMessage.objects.get(subject_key=subject_key(case)).subject == f"Tack! {case.number}"


def test_an_edit_in_the_admin_is_used_for_the_very_next_message(django_assert_num_queries):
    # The templates are kept in the cache; saving or deleting one drops them.
    category = _category("")
    first = register_case(category=category, contact=ContactData(email="eva@example.se"))
    with django_assert_num_queries(0):
        services.templates_get([("receipt", "email", "sv")])
    template = MessageTemplate.objects.get(key="receipt", channel="email", language="sv")
    template.subject = "Nytt ämne {{ case_number }}"
    template.save()
    second = register_case(category=category, contact=ContactData(email="eva@example.se"))
    subjects = dict(OutboundMessage.objects.values_list("subject_key", "subject"))
    assert subjects[subject_key(second)] == f"Nytt ämne {second.number}"
    assert subjects[subject_key(first)] != f"Nytt ämne {first.number}"
    template.delete()
    with pytest.raises(MessageTemplate.DoesNotExist):
        MessageTemplate.objects.get(key="receipt", channel="email", language="sv")
    # Deleted: the shipped words come back, from the database, not the cache.
    third = register_case(category=category, contact=ContactData(email="eva@example.se"))
    assert OutboundMessage.objects.get(subject_key=subject_key(third)).subject != f"Nytt ämne {third.number}"


def test_the_templates_are_read_from_the_database_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"))
    assert case.number in OutboundMessage.objects.get(subject_key=subject_key(case)).body_text
    services.templates_forget()  # no error either


def test_a_failure_is_shown_on_the_case_page_for_staff_and_never_written_on_the_timeline():
    unit = UnitFactory(email="")
    case = register_case(category=CategoryFactory(default_unit=unit), contact=ContactData(email="eva@example.se"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    OutboundMessage.objects.filter(pk=message.pk).update(status="sending")
    services._mark_failed(message, "550 no such user")
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTIFICATION).exists()
    page = signed_in(member(UserFactory(), unit)).get(f"/handlaggning/arenden/{case.number}/").content.decode()
    assert "Kvittens till avsändaren kunde inte skickas via E-post: 550 no such user" in page
