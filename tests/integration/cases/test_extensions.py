"""Extending one case's due date, and what the sender is told when a due
date moves later (a unit head's extension, a pause period) or passes
without an answer."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CitizenIdentity, User
from cases import deadlines, services
from cases.models import Answer, Case, CaseEvent, PausePeriod, SecrecyProvision
from cases.secrecy import secrecy_mark
from notifications.models import OutboundMessage
from tests.factories import UserFactory
from tests.integration.cases.helpers import case_in, contact, signed_in

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _delay_notices(case) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(subject_key=f"case:{case.pk}", template_key="delayed").order_by("pk"))


def _overdue_notices(case) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(subject_key=f"case:{case.pk}", template_key="overdue"))


def _swedish(d: date) -> str:
    months = "januari februari mars april maj juni juli augusti september oktober november december".split()
    return f"{d.day} {months[d.month - 1]} {d.year}"


def _extend_form(case, due: date, reason="Handläggaren som kan svara är borta till och med 27 februari."):
    return {"extend-version": case.version, "extend-due_date": due.isoformat(), "extend-reason": reason}


# -------------------------------------------------------------- extensions


def test_a_unit_head_extends_the_due_date_and_the_sender_is_told_the_new_date_and_why(org):
    case = case_in(org.cat_a, contact=contact(phone=""))
    old_due = case.due_date
    new_due = deadlines.add_working_days(old_due, 5)
    client = signed_in(org.head)
    assert "Förläng svarstiden" in client.get(reverse("cases:detail", args=[case.number])).content.decode()
    response = client.post(reverse("cases:extend", args=[case.number]), _extend_form(case, new_due))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.due_date, case.original_due_date, case.extended_to) == (new_due, old_due, new_due)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.DEADLINE_EXTENDED)
    assert event.data == {"old": old_due.isoformat(), "new": new_due.isoformat()} and event.actor == org.head
    assert event.text.startswith("Handläggaren som kan svara")
    (notice,) = _delay_notices(case)
    assert (
        notice.recipient == "anna@example.se" and notice.subject == f"Nytt datum för svar på ditt ärende {case.number}"
    )
    assert f"Du får svar senast {_swedish(new_due)} i stället för {_swedish(old_due)}." in notice.body_text
    assert "Skäl: Handläggaren som kan svara är borta till och med 27 februari." in notice.body_text
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Svarstiden förlängd" in page and f"{old_due.isoformat()} → {new_due.isoformat()}" in page
    assert "Svarsdatum i kvittensen" in page


def test_only_a_unit_head_or_an_administrator_may_extend(org):
    case = case_in(org.cat_a)
    due = deadlines.add_working_days(case.due_date, 3)
    officer = signed_in(org.officer)
    assert "Förläng svarstiden" not in officer.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert officer.post(reverse("cases:extend", args=[case.number]), _extend_form(case, due)).status_code == 403
    assert (
        signed_in(org.dept_head).post(reverse("cases:extend", args=[case.number]), _extend_form(case, due)).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.extended_to is None and not _delay_notices(case)
    assert (
        signed_in(org.admin).post(reverse("cases:extend", args=[case.number]), _extend_form(case, due)).status_code
        == 302
    )


@pytest.mark.parametrize(
    "shift, reason, message",
    [
        (0, "Borta", "Välj ett datum efter nuvarande svarsdatum"),
        (-3, "Borta", "Välj ett datum efter nuvarande svarsdatum"),
        (None, "Borta", "är inte en arbetsdag"),
        (5, "", "Skriv varför ärendet behöver mer tid."),
    ],
)
def test_a_bad_extension_is_explained_and_nothing_changes(org, shift, reason, message):
    case = case_in(org.cat_a)
    if shift is None:
        due = case.due_date + timedelta(days=1)
        while deadlines.is_working_day(due):
            due += timedelta(days=1)
    else:
        due = deadlines.add_working_days(case.due_date, shift) if shift > 0 else case.due_date + timedelta(days=shift)
    response = signed_in(org.head).post(reverse("cases:extend", args=[case.number]), _extend_form(case, due, reason))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns ett problem" in html and message in html
    case.refresh_from_db()
    assert case.extended_to is None and not _delay_notices(case)
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DEADLINE_EXTENDED).exists()


def test_an_answered_case_is_extended_without_a_notice(org):
    case = case_in(org.cat_a)
    services.case_answer(case=case, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    services.case_extend(
        case=case, due_date=deadlines.add_working_days(case.due_date, 2), reason="Mer att göra", by=org.head
    )
    assert not _delay_notices(case)


def test_a_secret_case_gets_a_neutral_delay_notice(org):
    case = case_in(org.cat_a, contact=contact(phone=""))
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=org.officer)
    services.case_extend(
        case=case, due_date=deadlines.add_working_days(case.due_date, 2), reason="Utredning pågår", by=org.head
    )
    (notice,) = _delay_notices(case)
    assert case.number not in notice.body_text and "Utredning" not in notice.body_text
    assert "/mina-sidor/" in notice.body_text


def test_a_sender_who_chose_no_notices_is_not_told_and_the_timeline_says_so(org):
    citizen = UserFactory(kind=User.Kind.CITIZEN, username="tolvan", email="")
    CitizenIdentity.objects.create(user=citizen, notify_by=CitizenIdentity.NotifyBy.NONE)
    case = case_in(org.cat_a, citizen=citizen)
    services.case_extend(case=case, due_date=deadlines.add_working_days(case.due_date, 2), reason="Borta", by=org.head)
    assert not _delay_notices(case)
    withheld = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTIFICATION)
    assert [e.data["template"] for e in withheld.order_by("pk")] == ["receipt", "delayed"]


# ------------------------------------------------------------ pause periods


def test_a_pause_period_tells_each_unanswered_open_case_with_contact_details_once(org):
    today = timezone.localdate()
    waiting = case_in(org.cat_a, contact=contact(phone=""))
    by_sms = case_in(org.cat_b, contact=contact(email="", preferred="sms"))
    answered = case_in(org.cat_a)
    services.case_answer(case=answered, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    anonymous = case_in(org.cat_a, contact=None)
    closed = case_in(org.cat_a)
    services.case_close(case=closed, resolution=Case.Resolution.TRANSFERRED, transfer_reference="X-1", by=org.officer)
    far = case_in(org.cat_a)
    far_due = deadlines.add_working_days(far.due_date, 30)
    services.case_extend(case=far, due_date=far_due, reason="Lång utredning", by=org.head)
    near = case_in(org.cat_a)
    near_due = deadlines.add_working_days(near.due_date, 1)
    services.case_extend(case=near, due_date=near_due, reason="Kort", by=org.head)
    before = {c: Case.objects.get(pk=c.pk).due_date for c in (waiting, by_sms, answered, anonymous, near)}

    period = PausePeriod(start=today + timedelta(days=1), end=today + timedelta(days=14), reason="Julledighet")
    changed = services.pause_period_save(period=period)

    assert changed == 5  # every open case but the one extended far beyond the pause
    notices = {c: _delay_notices(c) for c in (waiting, by_sms, answered, anonymous, closed, far, near)}
    assert [len(notices[c]) for c in (waiting, by_sms, near)] == [1, 1, 2]  # near: its extension, then the pause
    assert [len(notices[c]) for c in (answered, anonymous, closed)] == [0, 0, 0]
    assert len(notices[far]) == 1  # its own extension only
    (mail,) = notices[waiting]
    new_due = Case.objects.get(pk=waiting.pk).due_date
    assert new_due > before[waiting]
    assert f"i stället för {_swedish(before[waiting])}" in mail.body_text and "Skäl: Julledighet" in mail.body_text
    assert notices[by_sms][0].channel == "sms" and "Julledighet" in notices[by_sms][0].body_text
    assert Case.objects.get(pk=far.pk).due_date == far_due
    assert Case.objects.get(pk=near.pk).due_date > before[near]

    # Removing the pause moves the dates back; earlier dates tell nobody, and
    # a due date is never moved earlier than the one a unit head set.
    services.pause_period_delete(period=period)
    assert len(_delay_notices(waiting)) == 1 and len(_delay_notices(near)) == 2
    assert Case.objects.get(pk=waiting.pk).due_date == before[waiting]
    assert Case.objects.get(pk=far.pk).due_date == far_due
    assert Case.objects.get(pk=near.pk).due_date == near_due


# ------------------------------------------------------------------ overdue


def _received(d: date) -> datetime:
    return datetime.combine(d, time(10, 0), tzinfo=STOCKHOLM)


def test_a_case_overdue_without_an_answer_tells_its_sender_once(org):
    start = date(2026, 2, 2)
    late = case_in(org.cat_a, contact=contact(phone=""), received_at=_received(start))
    answered = case_in(org.cat_a, received_at=_received(start))
    services.case_answer(case=answered, text="Svar", channel=Answer.Channel.EMAIL, by=org.officer)
    anonymous = case_in(org.cat_a, contact=None, received_at=_received(start))
    day_after = late.due_date + timedelta(days=1)

    services.case_flag_deadlines(today=day_after)
    (notice,) = _overdue_notices(late)
    assert notice.subject == f"Svaret på ditt ärende {late.number} är försenat"
    assert f"senast {_swedish(late.due_date)}" in notice.body_text
    assert not _overdue_notices(answered) and not _overdue_notices(anonymous)
    services.case_flag_deadlines(today=day_after + timedelta(days=1))
    assert len(_overdue_notices(late)) == 1

    # Extended, then overdue again: still told only once.
    late.refresh_from_db()
    new_due = deadlines.add_working_days(day_after, 3)
    services.case_extend(case=late, due_date=new_due, reason="Borta", by=org.head)
    services.case_flag_deadlines(today=day_after)
    services.case_flag_deadlines(today=new_due + timedelta(days=1))
    assert Case.objects.get(pk=late.pk).deadline_flag == "overdue"
    assert len(_overdue_notices(late)) == 1


def test_the_case_page_shows_a_due_date_moved_by_a_pause_period_once(org):
    case = case_in(org.cat_a, received_at=datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC")))
    services.pause_period_save(period=PausePeriod(start=date(2026, 7, 6), end=date(2026, 8, 7), reason="Sommar"))
    page = signed_in(org.officer).get(reverse("cases:detail", args=[case.number])).content.decode()
    assert page.count("2026-07-15 → 2026-08-19") == 1
