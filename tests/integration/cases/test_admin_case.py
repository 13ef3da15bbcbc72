"""The admin shows what a case is, never its content: that is read in the
back office, where secrecy applies and every opening is logged."""

import pytest

from cases import services
from tests.factories import UserFactory
from tests.integration.cases.helpers import case_in, signed_in


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


pytestmark = pytest.mark.django_db


def test_admin_case_page_shows_no_content(org, superuser):
    case = case_in(org.cat_a, description="Innehåll-som-bara-syns-i-handläggningen")
    services.case_answer(case=case, text="Svar-som-inte-syns-i-admin", channel="email", by=org.officer)
    client = signed_in(superuser)
    response = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body
    assert "Innehåll-som-bara-syns-i-handläggningen" not in body
    assert "Svar-som-inte-syns-i-admin" not in body
    assert case.contact.email not in body
    assert f"/handlaggning/arenden/{case.number}/" in body


def test_admin_cannot_change_a_case(org, superuser):
    case = case_in(org.cat_a)
    client = signed_in(superuser)
    response = client.post(f"/admin/cases/case/{case.pk}/change/", {"number": "KB-1999-00001"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.number != "KB-1999-00001"


def test_answer_templates_are_edited_in_the_admin(org, superuser):
    client = signed_in(superuser)
    response = client.post(
        "/admin/cases/answertemplate/add/",
        {
            "title": "Gatlampa",
            "text": "Tack! Vi byter lampan inom en vecka.",
            "category": org.cat_a.pk,
            "position": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from cases.models import AnswerTemplate

    assert AnswerTemplate.objects.get(title="Gatlampa").category == org.cat_a
