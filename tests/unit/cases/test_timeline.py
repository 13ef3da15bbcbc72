"""The timeline's typed payloads: every kind written by a service has one,
and disposal keeps exactly the fields a payload declares as kept."""

from dataclasses import fields

from cases import timeline
from cases.models import CaseEvent


def test_every_kind_has_a_payload():
    assert set(CaseEvent.Kind.values) == set(timeline.PAYLOADS)


def test_disposal_keeps_the_declared_fields_and_drops_the_rest():
    data = {"channel": "web", "unit": "Gata och park", "due_date": "2026-12-07", "name": "Anna"}
    assert timeline.kept_on_disposal(CaseEvent.Kind.REGISTERED, data) == {
        "channel": "web",
        "unit": "Gata och park",
        "due_date": "2026-12-07",
    }


def test_a_sender_file_name_is_never_kept():
    kept = timeline.kept_on_disposal(CaseEvent.Kind.CITIZEN_MESSAGE, {"attachments": ["anna-sjukintyg.pdf"]})
    assert kept == {}


def test_a_kind_without_a_payload_keeps_nothing():
    assert timeline.kept_on_disposal("something_old", {"outcome": "sent"}) == {}


def test_the_status_change_keeps_its_status():
    data = {"status": "in_progress"}
    assert timeline.kept_on_disposal(CaseEvent.Kind.STATUS_CHANGED, data) == data


def test_each_payload_knows_its_kind_and_its_fields():
    payload = timeline.SecrecyMarked(provision="OSL 26:1", attachment=None)
    assert payload.kind == CaseEvent.Kind.SECRECY_MARKED
    assert {f.name for f in fields(payload)} == {"provision", "attachment"}
    assert timeline.SecrecyMarked.kept_fields() == {"provision", "attachment"}
