"""The demo data of `make run` (manage.py kontakt_demo): every queue of the
demo roles has cases, the statistics have figures for this and last month,
the answer templates are there, nothing reaches a real address, and
running it twice adds nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.citizen.numbers import number_hash
from accounts.models import CitizenIdentity, User
from cases import deadlines, demo, selectors
from cases.models import AnswerTemplate, Case, Category, Improvement, PausePeriod, SatisfactionSurvey, SecrecyMark
from cases.permissions import cases_of_citizen, ensure_groups
from cases.selectors import Queue
from devidp.personas import PERSONAS, PNR
from notifications.models import OutboundMessage
from stats.selectors import Filters, trend

pytestmark = pytest.mark.django_db

CASES = 60


@pytest.fixture
def loaded(db):
    ensure_groups()
    out = io.StringIO()
    call_command("kontakt_demo", "--cases", str(CASES), stdout=out)
    return out.getvalue()


def _queue(email: str, queue: str) -> list[Case]:
    user = User.objects.get(email=email)
    today = deadlines.local_date(timezone.now())
    return list(
        selectors.case_list(
            user=user, filters={"queue": queue}, today=today, calendar=deadlines.current_calendar()
        ).cases
    )


def test_every_demo_role_has_cases_in_its_queues(loaded):
    assert Case.objects.count() == CASES
    assert _queue("handlaggare@burlov.example", Queue.MINE)
    assert _queue("handlaggare@burlov.example", Queue.NEAR)
    assert _queue("handlaggare@burlov.example", Queue.OVERDUE)
    assert _queue("enhetschef@burlov.example", Queue.UNITS)
    assert _queue("forvaltningschef@burlov.example", Queue.UNITS) or _queue(
        "forvaltningschef@burlov.example", Queue.OVERDUE
    )
    assert _queue("medborgarservice@burlov.example", Queue.NEW)
    assert _queue("admin@burlov.example", Queue.NEW)


def test_the_demo_has_every_state_and_way_in(loaded):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Case.Status}
    resolutions = set(Case.objects.exclude(resolution="").values_list("resolution", flat=True))
    assert resolutions == {r.value for r in Case.Resolution}
    assert Case.objects.filter(events__kind="reopened", status=Case.Status.IN_PROGRESS).exists()
    assert Case.objects.filter(registered_by__isnull=False, channel=Case.Channel.PHONE).exists()
    assert Case.objects.filter(contact__isnull=True).exists()
    assert SecrecyMark.objects.filter(automatic=False).exists()
    assert SecrecyMark.objects.filter(automatic=True).exists()
    assert Case.objects.filter(awaiting_sender_since__isnull=False, events__kind="info_requested").exists()
    assert Case.objects.values("unit").distinct().count() > 5
    oldest = Case.objects.order_by("received_at").first().received_at
    assert oldest < timezone.now() - timedelta(days=300)
    assert PausePeriod.objects.exists()


def test_statistics_have_figures_for_this_and_last_month(loaded):
    today = deadlines.local_date(timezone.now())
    months = trend(end_month=today.replace(day=1), filters=Filters(), today=today)
    this_month, last_month = months[-1], months[-2]
    assert this_month.received > 0
    assert last_month.received > 0
    assert last_month.close_base > 0
    assert sum(m.received for m in months) == CASES


def test_answer_templates_per_subject_area(loaded):
    assert AnswerTemplate.objects.filter(category__isnull=True).exists()
    with_templates = AnswerTemplate.objects.exclude(category=None).values("category").distinct().count()
    assert with_templates >= Category.objects.count() - 1


def test_the_two_test_persons_have_cases_on_mina_sidor(loaded):
    for persona in (p for p in PERSONAS if p.key in ("tolvan", "maria")):
        identity = CitizenIdentity.objects.get(number_hash=number_hash(persona.numbers[PNR]))
        assert cases_of_citizen(identity.user).count() >= 3
    # The demo's own list of the citizens names these very persons.
    numbers = {p.numbers.get(PNR) for p in PERSONAS}
    assert {row[3] for row in demo.DEMO_CITIZENS} <= numbers


def test_messages_are_recorded_sent_and_never_to_a_real_address(loaded):
    messages = OutboundMessage.objects.all()
    assert messages.exists()
    assert not messages.exclude(status=OutboundMessage.Status.SENT).exists()
    for recipient in messages.values_list("recipient", flat=True):
        assert recipient.endswith(("@example.se", "@burlov.example")) or recipient.startswith("+467017406")
    receipt = messages.filter(template_key="receipt").order_by("created_at").first()
    assert receipt.created_at < timezone.now() - timedelta(days=300)


def test_the_printed_accounts_say_role_and_unit(loaded):
    assert "Handläggare, Gata och trafik, Park och natur" in loaded
    assert "Enhetschef, Gata och trafik" in loaded
    assert "Förvaltningschef, Samhällsbyggnadsförvaltningen" in loaded
    assert "Statistikläsare" in loaded


def test_running_it_twice_adds_nothing(loaded):
    counts = (
        Case.objects.count(),
        AnswerTemplate.objects.count(),
        OutboundMessage.objects.count(),
        User.objects.count(),
    )
    out = io.StringIO()
    call_command("kontakt_demo", "--cases", str(CASES), stdout=out)
    assert "no demo cases added" in out.getvalue()
    assert (
        Case.objects.count(),
        AnswerTemplate.objects.count(),
        OutboundMessage.objects.count(),
        User.objects.count(),
    ) == counts


def test_the_same_seed_gives_the_same_cases(loaded):
    def cases() -> list[tuple]:
        return sorted(Case.objects.values_list("received_at", "category__name", "status", "resolution", "unit__name"))

    first = cases()
    Case.objects.exclude(duplicate_of=None).delete()
    Case.objects.all().delete()
    demo.load_cases(n=CASES)
    assert cases() == first


def test_the_demo_has_survey_answers_and_improvements(loaded):
    asked = SatisfactionSurvey.objects.count()
    answered = SatisfactionSurvey.objects.filter(answered_at__isnull=False).count()
    assert asked > answered > 0
    assert "done" in set(Improvement.objects.values_list("status", flat=True))
    assert Improvement.objects.filter(published_at__isnull=False).count() == 1
