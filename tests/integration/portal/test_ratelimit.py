"""The public form's rate limit: per browser session (the id in its receipts
cookie), per client address, atomic under simultaneous posts, independent of
Redis, and a message that says when sending works again and whom to call."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case
from portal import ratelimit, receipts
from portal.models import SubmissionCount
from tests.factories import CategoryFactory
from tests.integration.notifications.servers import free_port

INTAKE_QUESTION = "/lamna/fraga/"


def good_data(category, **extra):
    data = {
        "category": category.pk,
        "description": "Gatlampan utanför Storgatan 12 har varit släckt i en vecka.",
        "reply": "email",
        "name": "Anna Andersson",
        "email": "anna@example.se",
        "phone": "",
        "website": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def category(db):
    return CategoryFactory(name="Gatubelysning")


@pytest.fixture
def client(client, db):
    return client


def test_every_submission_counts_per_address_and_per_browser(category):
    browser = Client(REMOTE_ADDR="192.0.2.20")
    assert browser.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert sorted(SubmissionCount.objects.values_list("count", flat=True)) == [1, 1]
    assert browser.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert sorted(SubmissionCount.objects.values_list("count", flat=True)) == [2, 2]
    # A program that keeps no cookies is a new browser each time: only the
    # address limit holds it back.
    browser.cookies.clear()
    assert browser.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert sorted(SubmissionCount.objects.values_list("count", flat=True)) == [1, 2, 3]


def test_a_refused_first_submission_still_gives_the_browser_its_id(category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 0
    browser = Client(REMOTE_ADDR="192.0.2.21")
    for _ in range(2):
        assert browser.post(INTAKE_QUESTION, good_data(category)).status_code == 200
    assert sorted(SubmissionCount.objects.values_list("count", flat=True)) == [2, 2]


def test_the_session_limit_says_when_sending_works_again(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 1
    settings.KONTAKT_PHONE = ""
    before = timezone.localtime()
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    html = client.post(INTAKE_QUESTION, good_data(category, description="Andra gången om lampan.")).content.decode()
    assert "Du har skickat många ärenden på kort tid." in html
    assert "ring kommunens växel" in html
    assert "Andra gången om lampan." in html
    hour, minute = map(int, re.search(r"Du kan skicka igen klockan (\d\d)\.(\d\d)\.", html).groups())
    expected = [before + timedelta(hours=1, minutes=m) for m in (0, 1, 2)]
    assert (hour, minute) in [(t.hour, t.minute) for t in expected]
    assert Case.objects.count() == 1


def test_the_address_limit_is_higher_and_names_the_shared_connection(category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 1
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 3
    settings.KONTAKT_PHONE = "040-625 60 00"
    # A library: many people, one address, each their own browser session.
    statuses = [Client(REMOTE_ADDR="192.0.2.10").post(INTAKE_QUESTION, good_data(category)) for _ in range(4)]
    assert [r.status_code for r in statuses] == [302, 302, 302, 200]
    html = statuses[-1].content.decode()
    assert "Många ärenden har skickats från den här uppkopplingen" in html
    assert "ring kommunen på 040-625 60 00" in html
    assert Case.objects.count() == 3


def test_a_new_window_starts_when_the_last_one_has_ended(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 1
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 200
    SubmissionCount.objects.update(window_start=timezone.now() - timedelta(hours=1, seconds=1))
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert Case.objects.count() == 2


def test_refused_submissions_count_but_never_move_the_time_to_wait(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 1
    client.post(INTAKE_QUESTION, good_data(category))
    starts = set(SubmissionCount.objects.values_list("window_start", flat=True))
    for _ in range(2):
        assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 200
    assert sorted(SubmissionCount.objects.values_list("count", flat=True)) == [3, 3]
    assert set(SubmissionCount.objects.values_list("window_start", flat=True)) == starts


def test_invalid_forms_are_not_counted(client, category, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 1
    assert client.post(INTAKE_QUESTION, good_data(category, description="")).status_code == 200
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 302


def test_no_readable_address_or_browser_id_is_stored(client, category):
    response = client.post(INTAKE_QUESTION, good_data(category))
    keys = list(SubmissionCount.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)
    browser = receipts.receipts_of(response.wsgi_request).browser
    assert browser and all(browser not in k for k in keys)


def test_ended_windows_are_purged(category):
    now = timezone.now()
    SubmissionCount.objects.create(key="a" * 64, window_start=now - timedelta(hours=2), count=3)
    SubmissionCount.objects.create(key="b" * 64, window_start=now - timedelta(minutes=5), count=1)
    assert ratelimit.counts_purge(now=now) == 1
    assert list(SubmissionCount.objects.values_list("key", flat=True)) == ["b" * 64]


def test_the_form_works_with_the_cache_down(client, category, settings):
    # Redis (the cache) refuses connections: the limit and the case need only the database.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 1
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 302
    assert client.post(INTAKE_QUESTION, good_data(category)).status_code == 200
    assert Case.objects.count() == 1


def _simultaneous_posts(n: int, make_client) -> list[int]:
    barrier = threading.Barrier(n)
    statuses: list[int] = []
    lock = threading.Lock()

    def post(c: Client, data: dict) -> None:
        try:
            barrier.wait(30)
            status = c.post(INTAKE_QUESTION, data).status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()  # each thread had its own connection

    category = Case._meta.get_field("category").related_model.objects.get()
    threads = [threading.Thread(target=post, args=(make_client(), good_data(category))) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return statuses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shared", ["session", "address"])
def test_simultaneous_posts_never_get_more_than_the_limit_through(settings, shared):
    """50 posts at once from one address, on 50 database connections: from one
    browser (its limit, 10), or from 50 browsers (the address limit, here 10)."""
    CategoryFactory(name="Gatubelysning")
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 10
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 10 if shared == "address" else 200
    one_browser = receipts.cookie_value(receipts.Receipts())

    def make_client() -> Client:
        c = Client(REMOTE_ADDR="192.0.2.77")
        if shared == "session":
            c.cookies[receipts.cookie_name()] = one_browser
        return c

    statuses = _simultaneous_posts(50, make_client)
    assert len(statuses) == 50
    assert statuses.count(302) == 10 and statuses.count(200) == 40
    assert Case.objects.count() == 10
