"""The health endpoint the container's HEALTHCHECK and load balancers call."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_ok_when_the_database_answers(django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_health_needs_no_sign_in_and_sets_no_session():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_health_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/").status_code == 301
