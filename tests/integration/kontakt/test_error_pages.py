"""Kontakt's own error pages, in Swedish and English, with DEBUG off: the
right status, an h1, a way onward, and nothing of the request or stack."""

import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory
from tests.integration.cases.helpers import signed_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.integration.kontakt.error_urls"),
]

HEADINGS = {
    400: {"sv": "Vi kunde inte hantera det du skickade", "en": "The request could not be handled"},
    403: {"sv": "Du har inte tillgång till den här sidan", "en": "You do not have access to this page"},
    404: {"sv": "Sidan finns inte", "en": "Page not found"},
    500: {"sv": "Något gick fel hos oss", "en": "Something went wrong on our side"},
}
PATHS = {400: "/test-fel/400/", 403: "/test-fel/403/", 404: "/finns-inte/", 500: "/test-fel/500/"}
START = {"sv": "Gå till startsidan", "en": "Go to the start page"}


def client_in(language: str) -> Client:
    client = Client(headers={"accept-language": language})
    client.raise_request_exception = False
    return client


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_page_in_the_visitors_language(status: int, language: str) -> None:
    response = client_in(language).get(PATHS[status])
    assert response.status_code == status
    body = response.content.decode()
    assert f"<h1>{HEADINGS[status][language]}</h1>" in body
    assert body.count("<h1") == 1
    assert f'<html lang="{language}">' in body
    assert START[language] in body
    main = body[body.index("<main") : body.index("</main>")]
    for text in ["secret detail", "Traceback", "Request Method", "Django", PATHS[status]]:
        assert text not in main


@override_settings(DEBUG=False)
def test_the_server_error_page_needs_neither_database_nor_session(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client_in("sv").get(PATHS[500])
    assert response.status_code == 500
    assert "Kontakt Burlöv" in response.content.decode()


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Sidan kan inte användas på det här sättet"), ("en", "The page cannot be used this way")],
)
def test_a_post_only_address_opened_with_get_answers_the_405_page(language: str, heading: str) -> None:
    response = client_in(language).get("/handlaggning/arenden/KB-2026-00001/skicka-vidare/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body and START[language] in body


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "heading"), [("sv", "Formuläret kunde inte skickas"), ("en", "The form could not be sent")]
)
def test_a_form_without_its_token_answers_the_csrf_page(language: str, heading: str) -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": language})
    response = client.post("/handlaggning/arenden/KB-2026-00001/skicka-vidare/", {"route-reason": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body and START[language] in body
    assert "CSRF" not in body and "Referer" not in body


@override_settings(DEBUG=False)
def test_staff_meet_a_way_back_to_the_back_office() -> None:
    staff = UserFactory()
    response = signed_in(staff, client_in("sv")).get("/finns-inte/")
    assert response.status_code == 404
    assert "Gå till handläggningen" in response.content.decode()
    assert "Gå till handläggningen" not in client_in("sv").get("/finns-inte/").content.decode()
