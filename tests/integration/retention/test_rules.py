"""The retention rule: a category's own years, else the default setting;
counted from the moment of closing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cases import services
from cases.models import Answer, Case
from cases.services import CaseError, ContactData
from portal.defaults import PRIVACY_EN, PRIVACY_SV
from retention import selectors, tasks
from retention.models import DisposalRun, DisposedCase
from tests.factories import CategoryFactory, UserFactory, register_case

pytestmark = pytest.mark.django_db


def test_a_category_without_a_rule_gets_the_default(settings):
    settings.KONTAKT_RETENTION_YEARS_DEFAULT = 3
    own, default = CategoryFactory(retention_years=5), CategoryFactory()
    now = timezone.now()
    years = {rule.category: rule.years for rule in selectors.rules(now=now)}
    assert years[own] == 5 and years[default] == 3


def _closed(category, closed_at):
    officer = UserFactory()
    case = register_case(
        category=category, received_at=closed_at - timedelta(days=3), contact=ContactData(email="x@exempel.se")
    )
    services.case_answer(case=case, text="Svar", channel=Answer.Channel.EMAIL, by=officer, at=closed_at)
    return services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer, at=closed_at)


def test_a_case_is_due_the_moment_its_years_have_passed():
    category = CategoryFactory(retention_years=1)
    now = timezone.now()
    just_due = _closed(category, selectors.years_before(now, 1) - timedelta(minutes=1))
    not_yet = _closed(category, selectors.years_before(now, 1) + timedelta(minutes=1))
    [rule] = [r for r in selectors.rules(now=now) if r.category == category]
    assert list(selectors.cases_due(rule)) == [just_due]
    assert not_yet.pk not in selectors.cases_due(rule).values_list("pk", flat=True)


def test_a_reopened_case_is_not_due():
    category = CategoryFactory(retention_years=1)
    case = _closed(category, timezone.now() - timedelta(days=800))
    services.case_reopen(case=case, reason="Nytt svar behövs", by=UserFactory())
    [rule] = [r for r in selectors.rules(now=timezone.now()) if r.category == category]
    assert not selectors.cases_due(rule).exists()


def test_only_a_closed_case_can_be_disposed_of():
    case = register_case(category=CategoryFactory())
    with pytest.raises(CaseError):
        services.case_dispose(case=case)


def test_the_nightly_task_runs_the_disposal_and_is_scheduled(django_capture_on_commit_callbacks):
    category = CategoryFactory(retention_years=1)
    case = _closed(category, timezone.now() - timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispose_due() == 1
    assert DisposedCase.objects.filter(case=case).exists()
    assert DisposalRun.objects.get().case_numbers == [case.number]
    assert tasks.dispose_due() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["retention-dispose"]
    assert entry["task"] == tasks.dispose_due.name


def test_the_privacy_notice_says_erasure_happens_only_through_disposal():
    assert "Uppgifter raderas bara genom gallring" in PRIVACY_SV
    assert "registerutdrag" in PRIVACY_SV
    assert "deleted only through disposal" in PRIVACY_EN
