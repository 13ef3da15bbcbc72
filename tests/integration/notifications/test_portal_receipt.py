"""The issue's finish line: a case sent through the public form over HTTP
yields exactly one receipt e-mail on a real SMTP server, sent by a real
Celery worker from the real Redis broker, with the case number in it and
nothing of what the sender wrote.

PostgreSQL only (marker `postgres`): the request and the worker thread write
at the same moment, which SQLite's shared in-memory test database answers
with "table is locked" instead of waiting (the embedded default's database
file waits; tests cannot use it)."""

import pytest
from django.test import Client

from accounts.models import CitizenIdentity, User
from cases.models import Case
from cases.notices import subject_key
from notifications import services
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory
from tests.integration.cases.helpers import case_page
from tests.integration.notifications.servers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Gatlampan utanför Storgatan 12 har varit släckt i en vecka. Jag heter Anna och bor på nummer 14."


def _form(category, **extra):
    data = {
        "category": category.pk,
        "description": DESCRIPTION,
        "reply": "email",
        "name": "Anna Andersson",
        "email": "anna@example.se",
        "phone": "",
        "website": "",
    }
    data.update(extra)
    return data


def _all_sent():
    statuses = set(OutboundMessage.objects.values_list("status", flat=True))
    return statuses == {OutboundMessage.Status.SENT}


def _parts(message) -> list[str]:
    return [part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()]


@pytest.fixture
def category():
    unit = UnitFactory(name="Gata och trafik", email="gata@burlov.example")
    return CategoryFactory(name="Gatubelysning", default_unit=unit)


def test_case_sent_through_the_portal_yields_exactly_one_receipt_email(smtp, celery_worker, category):
    response = Client().post("/lamna/fraga/", _form(category))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kvitto/{case.public_id}/"
    assert case.channel == Case.Channel.WEB and case.description == DESCRIPTION

    wait_for(lambda: len(smtp.messages) == 2 and _all_sent(), what="receipt and unit notice sent")
    receipts = smtp.to("anna@example.se")
    assert len(receipts) == 1
    receipt = receipts[0]
    assert case.number in receipt["Subject"]
    for body in _parts(receipt):
        assert case.number in body
        assert "Storgatan" not in body and "släckt" not in body and "nummer 14" not in body
    # The unit's notice does not carry the sender's text either.
    (unit_notice,) = smtp.to("gata@burlov.example")
    assert all("Storgatan" not in body for body in _parts(unit_notice))

    # Nothing is left for the sweep to send again: still exactly one receipt.
    assert services.outbox_sweep() == 0
    assert len(smtp.to("anna@example.se")) == 1
    stored = OutboundMessage.objects.get(subject_key=subject_key(case), kind=OutboundMessage.Kind.CITIZEN)
    assert (stored.attempts, stored.message_id_header) == (1, receipt["Message-ID"])
    assert case_page(case).count("Kvittens till avsändaren skickat via E-post.") == 1


def test_signed_in_citizen_who_chose_no_notifications_gets_no_receipt(smtp, celery_worker, category):
    citizen = UserFactory(kind=User.Kind.CITIZEN, email="anna@example.se")
    CitizenIdentity.objects.create(user=citizen, notify_by=CitizenIdentity.NotifyBy.NONE, email="anna@example.se")
    client = Client()
    client.force_login(citizen)
    assert client.post("/lamna/fraga/", _form(category)).status_code == 302
    case = Case.objects.get()
    assert case.citizen == citizen

    wait_for(lambda: len(smtp.messages) == 1 and _all_sent(), what="unit notice sent")
    assert smtp.to("anna@example.se") == []
    assert len(smtp.to("gata@burlov.example")) == 1
    assert not OutboundMessage.objects.filter(subject_key=subject_key(case), kind=OutboundMessage.Kind.CITIZEN).exists()
