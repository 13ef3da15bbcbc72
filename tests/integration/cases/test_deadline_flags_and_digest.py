"""The deadline flag sweep and the morning digest on a realistic set of cases."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases import deadlines
from cases.digest import deadline_digests_send
from cases.models import Case, CaseEvent, UnitMembership
from cases.services import case_assign, case_close, case_flag_deadlines
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 3, 4)  # a Wednesday, an ordinary working day


def received(d: date) -> datetime:
    return datetime.combine(d, time(10, 0), tzinfo=STOCKHOLM)


def working_days_before(d: date, n: int) -> date:
    day = d
    while deadlines.working_days_left(day, d) < n:
        day -= timedelta(days=1)
    return day


def test_flags_follow_the_due_date_with_one_event_per_transition():
    case = register_case(received_at=received(date(2026, 2, 2)))
    due = case.due_date
    assert case_flag_deadlines(today=working_days_before(due, 3)) == 0
    assert case_flag_deadlines(today=working_days_before(due, 2)) == 1
    assert case_flag_deadlines(today=working_days_before(due, 2)) == 0  # idempotent
    assert case_flag_deadlines(today=due) == 0  # still near on the due date itself
    case.refresh_from_db()
    assert case.deadline_flag == "near"
    assert case_flag_deadlines(today=due + timedelta(days=1)) == 1
    assert case_flag_deadlines(today=due + timedelta(days=2)) == 0
    case.refresh_from_db()
    assert case.deadline_flag == "overdue"
    events = list(CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DEADLINE_FLAG).order_by("pk"))
    assert [(e.data["previous"], e.data["flag"]) for e in events] == [("", "near"), ("near", "overdue")]
    assert case.version == 1  # the sweep never makes an officer's form stale


def test_closed_cases_are_not_flagged():
    officer = UserFactory()
    case = register_case(received_at=received(date(2026, 1, 12)))
    case_close(case=case, resolution=Case.Resolution.ANONYMOUS, by=officer)
    assert case_flag_deadlines(today=TODAY) == 0


@pytest.fixture
def realistic():
    """Two units; heads, officers, and cases on track, near and overdue."""
    parks = UnitFactory(name="Gata och park", email="")
    school = UnitFactory(name="Förskola", email="")
    head = member(
        UserFactory(first_name="Hanna", last_name="Chef", email="hanna@burlov.example"), parks, UnitMembership.Role.HEAD
    )
    olle = member(UserFactory(first_name="Olle", last_name="Handläggare", email="olle@burlov.example"), parks)
    petra = member(UserFactory(first_name="Petra", last_name="Handläggare", email="petra@burlov.example"), parks)
    school_head = member(UserFactory(email="skola@burlov.example"), school, UnitMembership.Role.HEAD)
    member(UserFactory(email=""), school)  # no address: never gets a digest
    desk = UserFactory()
    c_parks, c_school = CategoryFactory(default_unit=parks), CategoryFactory(default_unit=school)
    overdue_olle = register_case(category=c_parks, received_at=received(date(2026, 2, 10)))
    case_assign(case=overdue_olle, assignee=olle, by=desk)
    near_unassigned = register_case(
        category=c_parks, received_at=received(date(2026, 2, 18)), kind=Case.Kind.FAULT_REPORT
    )
    on_track_petra = register_case(category=c_parks, received_at=received(date(2026, 3, 2)))
    case_assign(case=on_track_petra, assignee=petra, by=desk)
    near_school = register_case(category=c_school, received_at=received(date(2026, 2, 19)))
    closed = register_case(category=c_school, received_at=received(date(2026, 1, 12)))
    case_close(case=closed, resolution=Case.Resolution.ANONYMOUS, by=desk)
    OutboundMessage.objects.all().delete()
    return locals()


def test_morning_digest_goes_to_each_officer_and_head_with_their_cases(realistic):
    r = realistic
    assert deadline_digests_send(today=TODAY) == 4
    digests = {m.recipient: m for m in OutboundMessage.objects.filter(template_key="staff_digest")}
    assert set(digests) == {
        "hanna@burlov.example",
        "olle@burlov.example",
        "petra@burlov.example",
        "skola@burlov.example",
    }

    def numbers(address):
        body = digests[address].body_text
        return {
            c.number
            for c in (r["overdue_olle"], r["near_unassigned"], r["on_track_petra"], r["near_school"], r["closed"])
            if c.number in body
        }

    assert numbers("hanna@burlov.example") == {r["overdue_olle"].number, r["near_unassigned"].number}
    assert numbers("olle@burlov.example") == {r["overdue_olle"].number, r["near_unassigned"].number}
    assert numbers("petra@burlov.example") == {r["near_unassigned"].number}
    assert numbers("skola@burlov.example") == {r["near_school"].number}
    hanna = digests["hanna@burlov.example"]
    assert hanna.subject == "Ärenden att svara på: 1 försenade, 1 nära svarstiden"
    assert "Försenade (1):" in hanna.body_text and "Nära svarstiden (1):" in hanna.body_text
    assert "Olle Handläggare" in hanna.body_text
    assert all(m.kind == "staff" and m.subject_key == "" for m in digests.values())


def test_digest_runs_once_a_day_and_not_on_holidays(realistic):
    assert deadline_digests_send(today=TODAY) == 4
    assert deadline_digests_send(today=TODAY) == 0
    assert deadline_digests_send(today=date(2026, 3, 7)) == 0  # Saturday
    assert deadline_digests_send(today=date(2026, 4, 6)) == 0  # Easter Monday
    assert OutboundMessage.objects.count() == 4
