"""The case list's drop-downs (subject areas, departments, units) come from
the cache, per language: a list request reads none of the three tables
once they are cached, an administrator's change shows at once, and a
stopped Redis leaves the page working."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Unit
from core import cache as core_cache
from tests.factories import CategoryFactory, UnitFactory
from tests.integration.cases.helpers import signed_in
from tests.integration.notifications.servers import RedisServer

pytestmark = pytest.mark.django_db
LIST = reverse("cases:list")
ORGANISATION_TABLES = ("cases_category", "cases_department", "cases_unit")


def options(html: str, name: str) -> dict[str, str]:
    """{value: text} of the <select name=…> on the page."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def organisation_reads(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if any(f'FROM "{t}"' in q["sql"] for t in ORGANISATION_TABLES)]


def test_the_drop_downs_are_read_once_and_then_come_from_the_cache(org):
    client = signed_in(org.officer)
    assert organisation_reads(client) != []
    assert organisation_reads(client) == []
    html = client.get(LIST).content.decode()
    assert options(html, "unit")[str(org.a.pk)] == org.a.name
    assert options(html, "category")[str(org.cat_a.pk)] == org.cat_a.name
    assert options(html, "department")[str(org.d2.pk)] == org.d2.name
    # A chosen filter is still marked as chosen in the cached list.
    html = client.get(LIST, {"unit": org.b.pk}).content.decode()
    assert f'<option value="{org.b.pk}" selected>{org.b.name}</option>' in html


def test_an_administrators_change_shows_at_once(org):
    client = signed_in(org.officer)
    client.get(LIST)
    org.a.name = "Gatuenheten"
    org.a.save()
    org.cat_b.name = "Parker och grönområden"
    org.cat_b.save()
    added = UnitFactory(department=org.d2, name="Nya enheten")
    html = client.get(LIST).content.decode()
    assert options(html, "unit")[str(org.a.pk)] == "Gatuenheten"
    assert options(html, "unit")[str(added.pk)] == "Nya enheten"
    assert options(html, "category")[str(org.cat_b.pk)] == "Parker och grönområden"
    gone = UnitFactory(department=org.d2, name="Enhet som läggs ner")
    client.get(LIST)
    Unit.objects.get(pk=gone.pk).delete()
    assert str(gone.pk) not in options(client.get(LIST).content.decode(), "unit")


def test_each_language_has_its_own_list(org):
    category = CategoryFactory(name="Gator och vägar", name_en="Streets and roads")
    client = signed_in(org.officer)
    swedish = client.get(LIST).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(LIST).content.decode()
    assert options(swedish, "category")[str(category.pk)] == "Gator och vägar"
    assert options(english, "category")[str(category.pk)] == "Streets and roads"
    assert options(english, "category")[""] == "All"


@pytest.mark.redis
def test_the_list_works_while_redis_is_down_and_after(org, settings, monkeypatch):
    monkeypatch.setattr(core_cache, "_resting_until", 0.0)
    monkeypatch.setattr(core_cache, "CACHE_REST_SECONDS", 0.0)
    server = RedisServer()
    server.start()
    try:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        client = signed_in(org.officer)
        client.get(LIST)
        assert organisation_reads(client) == []
        assert cache.get("cases:organisation-choices:1:sv") is not None

        server.stop()
        org.a.name = "Under avbrottet"
        org.a.save()  # the cache cannot be told; the change is still shown
        response = client.get(LIST)
        assert response.status_code == 200
        assert options(response.content.decode(), "unit")[str(org.a.pk)] == "Under avbrottet"

        server.start()  # an empty Redis again, as after a restart
        assert organisation_reads(client) != []
        assert organisation_reads(client) == []
        assert options(client.get(LIST).content.decode(), "unit")[str(org.a.pk)] == "Under avbrottet"
    finally:
        server.stop()
