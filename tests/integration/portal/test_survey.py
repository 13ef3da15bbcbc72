"""The satisfaction survey: who is asked, the link in the closing notice,
the page behind it (a token used twice, expired, or for another case answers
a clear page and changes nothing), Mina sidor, and the comment on the case."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CitizenIdentity, User
from cases import services, surveys
from cases.models import Answer, Case, CaseEvent, SatisfactionSurvey, SecrecyProvision
from cases.secrecy import secrecy_mark
from notifications.models import OutboundMessage
from stats.models import CaseStat
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case
from tests.integration.cases.helpers import case_page

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/enkat/(?P<number>[^/\s]+)/(?P<token>[^/\s]+)/")


@pytest.fixture
def unit():
    return UnitFactory(name="Gata och trafik", email="")


@pytest.fixture
def officer(unit):
    return member(UserFactory(first_name="Olle", last_name="Officer"), unit)


def _case(unit, *, contact=None, citizen=None, **kw):
    return register_case(category=CategoryFactory(default_unit=unit), contact=contact, citizen=citizen, **kw)


def _email(address="anna@example.se"):
    return services.ContactData(name="Anna Andersson", email=address, preferred="email")


def _close_answered(case, officer, *, channel=Answer.Channel.EMAIL, at=None):
    services.case_answer(case=case, text="Vi har lagat lampan.", channel=channel, by=officer, at=at)
    return services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer, at=at)


def _closing_notice(case) -> OutboundMessage:
    return OutboundMessage.objects.get(subject_key=f"case:{case.pk}", template_key="closed")


def _link(case) -> tuple[str, str]:
    match = LINK.search(_closing_notice(case).body_text)
    assert match, _closing_notice(case).body_text
    return match.group(0), match.group("token")


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


ANSWER = {"score": "4", "got_answer": "partly", "comment": "Snabbt och vänligt, men lampan blinkar fortfarande."}


def _unchanged(case):
    """What an answer would change: the survey row and the case's timeline."""
    survey = SatisfactionSurvey.objects.get(case=case)
    return (
        survey.answered_at,
        survey.score,
        survey.got_answer,
        CaseEvent.objects.filter(case=case).count(),
        CaseStat.objects.get(case=case).survey_score,
    )


# ------------------------------------------------------------ who is asked


def test_the_closing_email_carries_a_link_whose_token_is_stored_only_as_a_hash(unit, officer):
    case = _close_answered(_case(unit, contact=_email()), officer)
    url, token = _link(case)
    assert f"/enkat/{case.number}/" in url
    assert "Hur nöjd är du med hur kommunen tog hand om ditt ärende?" in _closing_notice(case).body_text
    survey = SatisfactionSurvey.objects.get(case=case)
    assert survey.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert len(token) >= 32
    assert not SatisfactionSurvey.objects.filter(token_hash=token).exists()
    assert survey.expires_at - survey.created_at == timedelta(days=30)
    assert CaseStat.objects.get(case=case).survey_asked is True


def test_the_closing_sms_carries_the_link_within_the_sms_limit(unit, officer, settings):
    contact = services.ContactData(name="Anna", phone="+46701234567", preferred="sms")
    case = _close_answered(_case(unit, contact=contact), officer, channel=Answer.Channel.SMS)
    notice = _closing_notice(case)
    assert notice.channel == "sms"
    assert LINK.search(notice.body_text) and len(notice.body_text) <= settings.NOTIFICATIONS_SMS_MAX_CHARS


def test_the_survey_lasts_as_many_days_as_the_setting_says(unit, officer, settings):
    settings.KONTAKT_SURVEY_DAYS = 14
    case = _close_answered(_case(unit, contact=_email()), officer)
    survey = SatisfactionSurvey.objects.get(case=case)
    assert survey.expires_at - survey.created_at == timedelta(days=14)


def test_an_anonymous_case_gets_no_survey(unit, officer):
    case = _case(unit)
    services.case_close(case=case, resolution=Case.Resolution.ANONYMOUS, by=officer)
    assert not SatisfactionSurvey.objects.exists()
    assert not OutboundMessage.objects.filter(subject_key=f"case:{case.pk}").exists()


def test_a_sender_with_only_a_postal_address_is_not_asked(unit, officer):
    contact = services.ContactData(name="Anna", address="Storgatan 1, Arlöv", preferred="letter")
    _close_answered(_case(unit, contact=contact), officer, channel=Answer.Channel.LETTER)
    assert not SatisfactionSurvey.objects.exists()


@pytest.mark.parametrize(
    "resolution, extra",
    [
        (Case.Resolution.TRANSFERRED, {"transfer_reference": "Lex-1"}),
        (Case.Resolution.NOT_HANDLED, {"note": "Politisk fråga"}),
    ],
)
def test_only_a_case_closed_as_answered_is_asked(unit, officer, resolution, extra):
    case = _case(unit, contact=_email())
    services.case_close(case=case, resolution=resolution, by=officer, **extra)
    assert not SatisfactionSurvey.objects.exists()
    assert not LINK.search(_closing_notice(case).body_text)


def test_a_secret_case_gets_a_neutral_notice_without_a_link_and_is_not_asked(unit, officer):
    case = _case(unit, contact=_email())
    secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=officer)
    _close_answered(case, officer)
    notice = _closing_notice(case)
    assert case.number not in notice.body_text and "/enkat/" not in notice.body_text
    assert not SatisfactionSurvey.objects.exists()


def test_a_protected_sender_signed_in_is_asked_on_mina_sidor_only(unit, officer, client):
    citizen = UserFactory(kind=User.Kind.CITIZEN, username="tolvan", email="")
    contact = services.ContactData(name="Tolvan", email="tolvan@example.se", preferred="email", protected_identity=True)
    case = _close_answered(_case(unit, contact=contact, citizen=citizen), officer)
    assert "/enkat/" not in _closing_notice(case).body_text
    survey = SatisfactionSurvey.objects.get(case=case)
    assert survey.token_hash is None
    client.force_login(citizen)
    page = client.get(reverse("portal:mina_sidor_case", args=[case.public_id])).content.decode()
    assert "Svara på två korta frågor" in page


def test_reopened_and_closed_again_keeps_its_one_survey(unit, officer):
    case = _close_answered(_case(unit, contact=_email()), officer)
    first = SatisfactionSurvey.objects.get(case=case)
    services.case_reopen(case=case, reason="Mer att göra", by=officer)
    services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer)
    assert SatisfactionSurvey.objects.get() == first
    second = OutboundMessage.objects.filter(subject_key=f"case:{case.pk}", template_key="closed").order_by("pk").last()
    assert "/enkat/" not in second.body_text


# ------------------------------------------------------------------ the page


def test_the_sender_answers_through_the_link(unit, officer, client):
    case = _close_answered(_case(unit, contact=_email()), officer)
    url, _token = _link(case)
    page = client.get(_path(url))
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow" and page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "<legend>Hur nöjd är du med hur kommunen tog hand om ditt ärende?" in html
    assert "<legend>Fick du svar på det du undrade?" in html
    assert 'name="robots" content="noindex, nofollow"' in html

    response = client.post(_path(url), ANSWER)
    assert response.status_code == 302 and response["Location"] == reverse("portal:survey_thanks")
    assert "Tack för dina svar" in client.get(response["Location"]).content.decode()
    survey = SatisfactionSurvey.objects.get(case=case)
    assert (survey.score, survey.got_answer) == (4, "partly") and survey.answered_at
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SURVEY_ANSWERED)
    assert event.text == ANSWER["comment"] and event.data == {"score": 4, "got_answer": "partly"}
    assert (CaseStat.objects.get(case=case).survey_score, CaseStat.objects.get(case=case).survey_got_answer) == (
        4,
        "partly",
    )
    # The handling unit reads the comment on the case page.
    page = case_page(case)
    assert "Nöjdhetsenkäten besvarad" in page and "Nöjdhet: 4 av 5" in page and ANSWER["comment"] in page


def test_a_token_used_twice_answers_a_clear_page_and_changes_nothing(unit, officer, client):
    case = _close_answered(_case(unit, contact=_email()), officer)
    url, _token = _link(case)
    client.post(_path(url), ANSWER)
    before = _unchanged(case)
    again = client.post(_path(url), {"score": "1", "got_answer": "no", "comment": "Ändrat mig"})
    assert again.status_code == 410
    assert "Du har redan svarat" in again.content.decode()
    assert client.get(_path(url)).status_code == 410
    assert _unchanged(case) == before


def test_an_expired_token_answers_a_clear_page_and_changes_nothing(unit, officer, client):
    closed_at = timezone.now() - timedelta(days=31)
    case = _close_answered(
        _case(unit, contact=_email(), received_at=closed_at - timedelta(days=2)), officer, at=closed_at
    )
    url, _token = _link(case)
    before = _unchanged(case)
    response = client.post(_path(url), ANSWER)
    assert response.status_code == 410
    html = response.content.decode()
    assert "Frågorna är stängda" in html and "Det gick att svara i 30 dagar" in html
    assert _unchanged(case) == before


def test_a_token_for_another_case_answers_a_clear_page_and_changes_nothing(unit, officer, client):
    first = _close_answered(_case(unit, contact=_email()), officer)
    other = _close_answered(_case(unit, contact=_email("bo@example.se")), officer)
    _url, token = _link(first)
    before = (_unchanged(first), _unchanged(other))
    for path in (
        f"/enkat/{other.number}/{token}/",
        f"/enkat/{first.number}/{token[:-2]}xx/",
        f"/enkat/{first.number}/x/",
    ):
        response = client.post(path, ANSWER)
        assert response.status_code == 404, path
        assert "Länken fungerar inte" in response.content.decode()
        assert response["Referrer-Policy"] == "same-origin"
    assert (_unchanged(first), _unchanged(other)) == before


def test_a_form_without_answers_shows_the_errors_and_stores_nothing(unit, officer, client):
    case = _close_answered(_case(unit, contact=_email()), officer)
    url, _token = _link(case)
    before = _unchanged(case)
    response = client.post(_path(url), {"comment": "Bara en kommentar"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns ett problem" in html and "<title>Fel:" in html
    assert "Välj hur nöjd du är, från 1 till 5." in html and "Svara ja, delvis eller nej." in html
    assert "Bara en kommentar" in html  # what was typed is kept
    assert _unchanged(case) == before


def test_two_answers_at_once_store_one(unit, officer):
    case = _close_answered(_case(unit, contact=_email()), officer)
    survey = SatisfactionSurvey.objects.get(case=case)
    surveys.survey_answer(survey=survey, score=5, got_answer="yes")
    with pytest.raises(surveys.SurveyError):
        surveys.survey_answer(survey=survey, score=1, got_answer="no")
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.SURVEY_ANSWERED).count() == 1


# --------------------------------------------------------------- Mina sidor


def test_mina_sidor_prompts_and_takes_the_answer(unit, officer, client):
    citizen = UserFactory(kind=User.Kind.CITIZEN, username="tolvan", email="")
    CitizenIdentity.objects.create(user=citizen, number_masked="19121212-****", number_kind="personnummer")
    case = _close_answered(_case(unit, contact=_email(), citizen=citizen), officer)
    client.force_login(citizen)
    overview = client.get(reverse("portal:mina_sidor")).content.decode()
    assert f"Svara på två korta frågor om ärende {case.number}" in overview
    url = reverse("portal:mina_sidor_survey", args=[case.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "5", "got_answer": "yes", "comment": ""})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Tack för dina svar" in detail and "Du berättade hur nöjd du är" in detail
    assert "Svara på två korta frågor" not in client.get(reverse("portal:mina_sidor")).content.decode()
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SURVEY_ANSWERED)
    assert event.actor == citizen
    # The link in the e-mail is used up too: one answer per case.
    url_from_mail, _token = _link(case)
    assert client.post(_path(url_from_mail), ANSWER).status_code == 410


def test_another_citizens_survey_is_not_found(unit, officer, client):
    owner = UserFactory(kind=User.Kind.CITIZEN, username="anna", email="")
    case = _close_answered(_case(unit, contact=_email(), citizen=owner), officer)
    client.force_login(UserFactory(kind=User.Kind.CITIZEN, username="bo", email=""))
    assert client.post(reverse("portal:mina_sidor_survey", args=[case.public_id]), ANSWER).status_code == 404
    assert SatisfactionSurvey.objects.get(case=case).answered_at is None


# ---------------------------------------------------------------- disposal


def test_disposal_ends_the_link_and_the_comment_but_keeps_the_score(unit, officer, client):
    case = _close_answered(_case(unit, contact=_email()), officer)
    url, _token = _link(case)
    client.post(_path(url), ANSWER)
    services.case_dispose(case=case)
    survey = SatisfactionSurvey.objects.get(case=case)
    assert survey.token_hash is None and survey.score == 4
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SURVEY_ANSWERED).text == "Gallrat"
    assert CaseStat.objects.get(case=case).survey_score == 4
