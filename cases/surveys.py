"""The satisfaction survey after a case closed as answered: every change to
it, and the look-up of its link.

Who is asked (decided once, at the first closing as answered; one survey per
case, never a second):
- a sender the closing notice reaches by e-mail or SMS gets a link in it,
  whose token is random (24 bytes) and stored only as its SHA-256 hash;
- a sender signed in with e-legitimation is also asked on Mina sidor (no
  token needed there: the session says who they are);
- a secret case or a sender with protected personal data gets a neutral
  closing notice, which carries no link; such a sender is asked on Mina
  sidor only, if they were signed in;
- an anonymous sender (no e-mail address, mobile number or sign-in), or one
  with only a postal address, is not asked.

The survey stays open KONTAKT_SURVEY_DAYS (30) days. The answer (score 1–5,
got an answer yes/partly/no) is stored on the survey for the statistics; the
optional comment becomes part of the case as the text of a timeline event,
a public record under the case's secrecy, disposed of with the other texts."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import hooks, notices, timeline
from cases.models import Case, Contact, SatisfactionSurvey
from cases.tokens import token_hash, token_new, token_plausible


class SurveyError(Exception):
    """The survey cannot take an answer (answered already, or closed)."""


def survey_url(case: Case, token: str) -> str:
    return settings.SITE_URL + reverse("portal:survey", kwargs={"number": case.number, "token": token})


def survey_start(*, case: Case, contact: Contact | None, at: datetime | None = None) -> notices.SurveyLink | None:
    """Ask the sender of a case being closed as answered, inside the
    closing's transaction (the case is locked) and before the closing saves
    the case, so the statistics row written then counts the survey. Returns
    the link for the closing notice, or None: no link (Mina sidor only, not
    asked at all, or asked already at an earlier closing)."""
    if SatisfactionSurvey.objects.filter(case=case).exists():
        return None
    with_link = notices.survey_link_possible(case=case, contact=contact)
    if not with_link and case.citizen_id is None:
        return None
    at = at or timezone.now()
    expires_at = at + timedelta(days=settings.KONTAKT_SURVEY_DAYS)
    token = token_new() if with_link else ""
    SatisfactionSurvey.objects.create(
        case=case, token_hash=token_hash(token) if token else None, created_at=at, expires_at=expires_at
    )
    return notices.SurveyLink(url=survey_url(case, token), expires_at=expires_at) if token else None


class Found(enum.Enum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    INVALID = "invalid"  # no such token, or the token of another case


@dataclass(frozen=True)
class Lookup:
    found: Found
    survey: SatisfactionSurvey | None = None


def _state(survey: SatisfactionSurvey, now: datetime) -> Found:
    if survey.is_answered:
        return Found.ANSWERED
    if survey.expires_at <= now:
        return Found.EXPIRED
    return Found.OPEN


def survey_by_token(*, number: str, token: str, now: datetime | None = None) -> Lookup:
    """The survey a link opens. The token must belong to the case numbered
    in the link; anything else is INVALID, and nothing tells whether the
    number or the token was wrong."""
    if not token_plausible(token):
        return Lookup(Found.INVALID)
    survey = SatisfactionSurvey.objects.select_related("case").filter(token_hash=token_hash(token)).first()
    if survey is None or survey.case.number != number:
        return Lookup(Found.INVALID)
    return Lookup(_state(survey, now or timezone.now()), survey)


def survey_of_case(case: Case, now: datetime | None = None) -> Lookup:
    """The survey of a case as its signed-in sender meets it on Mina sidor."""
    survey = SatisfactionSurvey.objects.filter(case=case).first()
    if survey is None:
        return Lookup(Found.INVALID)
    return Lookup(_state(survey, now or timezone.now()), survey)


@transaction.atomic
def survey_answer(
    *,
    survey: SatisfactionSurvey,
    score: int,
    got_answer: str,
    comment: str = "",
    citizen: User | None = None,
    at: datetime | None = None,
) -> SatisfactionSurvey:
    """Take the sender's one answer. The survey row is locked, so of two
    answers sent at once one is taken and the other refused."""
    at = at or timezone.now()
    locked = SatisfactionSurvey.objects.select_for_update().select_related("case").get(pk=survey.pk)
    state = _state(locked, at)
    if state == Found.ANSWERED:
        raise SurveyError(_("You have already answered. Thank you!"))
    if state == Found.EXPIRED:
        raise SurveyError(_("The survey has closed."))
    locked.score, locked.got_answer, locked.answered_at = score, got_answer, at
    locked.save(update_fields=["score", "got_answer", "answered_at"])
    timeline.event_append(
        case=locked.case,
        payload=timeline.SurveyAnswered(score=score, got_answer=got_answer),
        actor=citizen,
        text=comment.strip(),
        at=at,
    )
    hooks.send_cases_changed([locked.case_id])
    return locked


def survey_scrub(*, case: Case) -> None:
    """Disposal: the link stops working; the score stays for the statistics."""
    SatisfactionSurvey.objects.filter(case=case).update(token_hash=None)
