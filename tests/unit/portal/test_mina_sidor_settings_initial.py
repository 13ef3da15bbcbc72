"""Mina sidor's notification settings show first what the citizen's cases
use when the citizen never chose, not e-mail with an empty address."""

from accounts.models import CitizenIdentity
from cases.models import Contact
from portal.mina_sidor_forms import contact_initial


def test_never_chosen_takes_the_latest_cases_email():
    latest = Contact(name="Tolvan", email="tolvan@example.se", phone="+46701740605", preferred="email")
    initial = contact_initial(name="Tolvan Tolvansson", identity=CitizenIdentity(), latest=latest)
    assert initial == {
        "notify_by": "email",
        "name": "Tolvan Tolvansson",
        "email": "tolvan@example.se",
        "phone": "+46701740605",
    }


def test_never_chosen_takes_sms_when_the_case_asked_for_sms():
    latest = Contact(email="maria@example.se", phone="+46701740606", preferred="sms")
    assert contact_initial(name="Maria", identity=CitizenIdentity(), latest=latest)["notify_by"] == "sms"


def test_never_chosen_with_only_a_mobile_number_takes_sms():
    latest = Contact(phone="+46701740606")
    initial = contact_initial(name="", identity=None, latest=latest)
    assert (initial["notify_by"], initial["phone"]) == ("sms", "+46701740606")


def test_the_citizens_own_choice_wins():
    identity = CitizenIdentity(notify_by="sms", phone="+46701740607")
    latest = Contact(email="old@example.se", preferred="email")
    initial = contact_initial(name="Maria", identity=identity, latest=latest)
    assert (initial["notify_by"], initial["email"], initial["phone"]) == ("sms", "", "+46701740607")


def test_without_cases_or_choice_email_is_offered():
    assert contact_initial(name="", identity=None, latest=None)["notify_by"] == "email"
