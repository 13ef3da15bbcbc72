from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Case, CaseEvent, Contact, PausePeriod
from tests.factories import CategoryFactory, register_case

UTC = UTC
pytestmark = pytest.mark.django_db


def test_register_numbers_routes_and_dates_the_case(settings):
    settings.KONTAKT_CASE_PREFIX = "KB"
    category = CategoryFactory()
    case = register_case(
        category=category,
        kind=Case.Kind.FEEDBACK,
        feedback_type=Case.FeedbackType.COMPLAINT,
        received_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        contact=services.ContactData(name="Anna Andersson", email="anna@example.se", preferred="email"),
    )
    assert case.number == "KB-2026-00001"
    assert case.unit == category.default_unit
    assert case.status == Case.Status.NEW
    assert case.received_date == date(2026, 11, 23)
    assert case.due_date == date(2026, 12, 7)
    assert case.contact.email == "anna@example.se"
    event = case.events.get()
    assert event.kind == CaseEvent.Kind.REGISTERED
    assert event.data["due_date"] == "2026-12-07"


def test_numbers_follow_the_local_year_and_restart_each_year():
    category = CategoryFactory()
    a = register_case(category=category, received_at=datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    b = register_case(category=category, received_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    c = register_case(category=category, received_at=datetime(2027, 1, 2, 10, 0, tzinfo=UTC))
    assert a.number.endswith("2026-00001")
    assert b.number.endswith("2027-00001")
    assert c.number.endswith("2027-00002")


def test_anonymous_case_has_no_contact():
    case = register_case(contact=services.ContactData())
    assert not Contact.objects.filter(case=case).exists()


def test_feedback_type_is_dropped_for_other_kinds():
    case = register_case(kind=Case.Kind.QUESTION, feedback_type=Case.FeedbackType.PRAISE)
    assert case.feedback_type == ""


def test_attachments_are_stored_under_a_name_that_is_not_the_senders():
    upload = SimpleUploadedFile("min adress Storgatan 1.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    case = register_case(attachments=[services.AttachmentData(file=upload, content_type="application/pdf")])
    attachment = case.attachments.get()
    assert attachment.original_name == "min adress Storgatan 1.pdf"
    assert "Storgatan" not in attachment.file.name
    assert attachment.size == 15
    assert len(attachment.sha256) == 64


def test_pause_period_moves_due_dates_of_open_cases_and_notes_it():
    category = CategoryFactory()
    affected = register_case(category=category, received_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    untouched = register_case(category=category, received_at=datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    assert affected.due_date == date(2026, 7, 15)
    changed = services.pause_period_save(
        period=PausePeriod(start=date(2026, 7, 6), end=date(2026, 8, 7), reason="Sommar")
    )
    assert changed == 1
    affected.refresh_from_db()
    untouched.refresh_from_db()
    # 2, 3 July, then 10–14, 17–19 Aug... : 2,3 | 10,11,12,13,14 | 17,18,19
    assert affected.due_date == date(2026, 8, 19)
    assert untouched.due_date == date(2026, 5, 19)
    event = affected.events.get(kind=CaseEvent.Kind.DEADLINE_CHANGED)
    assert event.data == {"old": "2026-07-15", "new": "2026-08-19"}


def test_removing_a_pause_period_moves_due_dates_back():
    category = CategoryFactory()
    period = PausePeriod(start=date(2026, 7, 6), end=date(2026, 8, 7), reason="Sommar")
    services.pause_period_save(period=period)
    case = register_case(category=category, received_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    assert case.due_date == date(2026, 8, 19)
    assert services.pause_period_delete(period=period) == 1
    case.refresh_from_db()
    assert case.due_date == date(2026, 7, 15)


def test_pause_period_does_not_touch_closed_cases():
    category = CategoryFactory()
    case = register_case(category=category, received_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    services.case_close(
        case=case, resolution=Case.Resolution.ANONYMOUS, by=None, at=datetime(2026, 7, 2, 8, 0, tzinfo=UTC)
    )
    services.pause_period_save(period=PausePeriod(start=date(2026, 7, 6), end=date(2026, 8, 7), reason="Sommar"))
    case.refresh_from_db()
    assert case.due_date == date(2026, 7, 15)
    assert case.closed_in_time is True


def test_first_assignment_starts_work_and_tells_the_sender_once():
    from tests.factories import UserFactory

    case = register_case()
    officer, colleague = UserFactory(), UserFactory()
    services.case_assign(case=case, assignee=officer, by=officer)
    services.case_assign(case=case, assignee=colleague, by=officer)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(CaseEvent.Kind.STATUS_CHANGED) == 1
    assert CaseEvent.Kind.STATUS_CHANGED in CaseEvent.CITIZEN_KINDS
