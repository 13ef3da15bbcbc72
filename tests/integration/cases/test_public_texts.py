"""The process owner: edits the portal's texts in every language and the
service message, which the portal shows at once, escaped; edits the staff
guide; reaches subject areas, templates and pause periods in the admin, and
is refused users, secrecy and disposal. The portal reads the texts from the
cache: no query per request once it is filled, one when it is empty."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import texts
from cases.models import PublicText, ServiceMessage
from cases.permissions import Role
from tests.factories import UserFactory
from tests.integration.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(org):
    """The communications department's process owner: no unit, no is_staff flag."""
    user = UserFactory(first_name="Petra", last_name="Processägare")
    user.groups.add(Group.objects.get(name=Role.PROCESS_OWNER))
    return user


def _edit(client, key, **bodies):
    data = {f"text_{language}": body for language, body in bodies.items()}
    return client.post(reverse("cases:content_text", args=[key]), data)


def _portal(path="/", language="sv") -> str:
    client = Client()
    if language != "sv":
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(path).content.decode()


def test_the_process_owner_changes_the_start_page_and_a_service_message_and_sees_them_on_the_portal(owner):
    client = signed_in(owner)
    assert client.get(reverse("cases:home"))["Location"] == reverse("cases:content")
    _portal()  # the texts are in the cache now; saving must replace them
    response = _edit(
        client,
        "start_not_handled",
        sv="Vi tar **inte** emot felanmälan av el.\n\n- Ring [nätbolaget](https://www.example.se/el)\n- Eller Kundtjänst",
        en="We do *not* handle electricity faults.",
    )
    assert response.status_code == 302
    now = timezone.now()
    response = client.post(
        reverse("cases:service_message_new"),
        {
            "starts_date": timezone.localtime(now - timedelta(minutes=5)).date().isoformat(),
            "starts_time": timezone.localtime(now - timedelta(minutes=5)).strftime("%H:%M"),
            "ends_date": timezone.localtime(now + timedelta(days=2)).date().isoformat(),
            "ends_time": "18:00",
            "text_sv": "Stormskador: vi vet om de fallna träden och röjer så fort vi kan.",
            "text_en": "",
        },
    )
    assert response.status_code == 302

    html = _portal()
    assert "Vi tar <strong>inte</strong> emot felanmälan av el." in html
    assert '<a href="https://www.example.se/el" rel="noopener noreferrer">nätbolaget</a>' in html
    assert "politiska" not in html  # the default of that block is gone
    assert "Vi svarar inom 10 arbetsdagar." in html  # the other blocks keep theirs
    banner = html.split('aria-label="Driftinformation"')[1].split("</main>")[0]
    assert "Stormskador: vi vet om de fallna träden" in banner
    # Every portal page shows it, the back office does not.
    assert "Stormskador" in _portal("/lamna/")
    assert "Stormskador" not in client.get(reverse("cases:content")).content.decode()
    english = _portal(language="en")
    assert "We do <em>not</em> handle electricity faults." in english
    assert "Stormskador" in english  # no English words: the Swedish ones


def test_the_process_owner_is_refused_users_secrecy_and_disposal(owner):
    client = signed_in(owner)
    for url in (
        "/admin/accounts/user/",
        "/admin/auth/group/",
        "/admin/cases/secrecyprovision/",
        "/admin/cases/department/",
        "/admin/retention/casehold/",
        "/admin/records/accesslogentry/",
        reverse("retention:person_search"),
        reverse("cases:list"),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        "/admin/",
        "/admin/cases/category/",
        "/admin/cases/category/add/",
        "/admin/cases/answertemplate/add/",
        "/admin/cases/pauseperiod/add/",
        "/admin/notifications/messagetemplate/",
        "/admin/portal/page/",
        reverse("stats:overview"),
        reverse("cases:guide"),
    ):
        assert client.get(url).status_code == 200, url
    index = client.get("/admin/").content.decode()
    assert "Ämnesområden" in index and "Användare" not in index and "Sekretessbestämmelser" not in index


def test_only_the_process_owner_and_administrators_edit_texts(org, owner):
    url = reverse("cases:content_text", args=["start_handled"])
    assert signed_in(org.officer).get(url).status_code == 403
    assert signed_in(org.desk).get(reverse("cases:service_messages")).status_code == 403
    assert signed_in(org.admin).get(url).status_code == 200
    assert Client().get(url).status_code == 302  # to sign in


@pytest.mark.parametrize(
    "typed",
    [
        '<script>alert("x")</script>',
        '<img src=x onerror="alert(1)">',
        "[klicka](javascript:alert(1))",
        '<a href="javascript:alert(1)">klicka</a>',
        "[klicka](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_a_text_can_never_carry_markup_into_the_portal(owner, typed):
    assert _edit(signed_in(owner), "start_handled", sv=typed, en="").status_code == 302
    html = _portal()
    block = html.split('<div class="kind-list rich-text">')[1].split("</div>")[0]
    tags = re.findall(r"<[a-z][^>]*>", block)
    assert all(tag in ("<p>", "<a>") or tag.startswith("<a href") for tag in tags), tags
    assert not any(re.search(r"\son\w+=|javascript:|data:", tag) for tag in tags), tags
    # What was typed is there, as text.
    assert "klicka" in block or "&lt;" in block


def test_an_empty_text_or_the_default_goes_back_to_the_default(owner):
    client = signed_in(owner)
    _edit(client, "receipt_praise", sv="Tack!", en="Thanks!")
    assert PublicText.objects.filter(key="receipt_praise").count() == 2
    default_sv = texts.default_text("receipt_praise", "sv")
    _edit(client, "receipt_praise", sv="", en=texts.default_text("receipt_praise", "en"))
    assert not PublicText.objects.filter(key="receipt_praise").exists()
    assert texts.text_html("receipt_praise", "sv") == f"<p>{default_sv}</p>"


def test_the_preview_shows_the_text_and_saves_nothing(owner):
    client = signed_in(owner)
    response = client.post(
        reverse("cases:content_text", args=["start_handled"]),
        {"text_sv": "Ny *text*", "text_en": "", "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Ny <em>text</em>" in html and "Inget är sparat än." in html
    assert not PublicText.objects.exists()


def test_a_service_message_shows_only_between_its_start_and_end(owner):
    now = timezone.now()
    planned = texts.service_message_save(
        starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=5), texts={"sv": "Planerat"}, by=owner
    )
    texts.service_message_save(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1), texts={"sv": "Gammalt"}, by=owner
    )
    shown = texts.service_message_save(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), texts={"sv": "Nu"}, by=owner
    )
    assert [str(m) for m in texts.service_messages_now("sv", now)] == ["<p>Nu</p>"]
    assert [str(m) for m in texts.service_messages_now("sv", now + timedelta(hours=2))] == ["<p>Planerat</p>"]
    client = signed_in(owner)
    client.post(reverse("cases:service_message_end", args=[shown.pk]))
    client.post(reverse("cases:service_message_end", args=[planned.pk]))
    assert not ServiceMessage.objects.filter(pk=planned.pk).exists()
    assert texts.service_messages_now("sv") == []
    assert "Nu" not in _portal()


def test_a_service_message_must_end_after_it_starts(owner):
    response = signed_in(owner).post(
        reverse("cases:service_message_new"),
        {
            "starts_date": "2026-03-02",
            "starts_time": "10:00",
            "ends_date": "2026-03-01",
            "ends_time": "10:00",
            "text_sv": "Fel ordning",
        },
    )
    assert response.status_code == 400
    assert "Meddelandet måste sluta efter att det börjar." in response.content.decode()
    assert not ServiceMessage.objects.exists()


def test_the_receipt_page_shows_the_text_of_the_case_type(owner):
    _edit(signed_in(owner), "receipt_question", sv="Vi svarar på **frågor** inom två dagar.", en="")
    assert "Vi svarar på <strong>frågor</strong> inom två dagar." in str(texts.receipt_html("question", "sv"))
    assert "Tack för ditt beröm!" in str(texts.receipt_html("praise", "sv"))


def test_the_staff_guide_says_what_the_guideline_asks_and_links_to_it(org, owner, settings):
    settings.KONTAKT_GUIDELINE_URL = "https://www.burlov.example/riktlinjer.pdf"
    html = signed_in(org.officer).get(reverse("cases:guide")).content.decode()
    for words in (
        '<h2 id="registrera-ett-arende">Registrera ett ärende</h2>',
        "10 arbetsdagar",
        "sommarsemestern",
        "allmän handling",
        "HSL och SoL",
        "kränkningar",
    ):
        assert words in html, words
    assert (
        '<a href="https://www.burlov.example/riktlinjer.pdf">Riktlinjer för synpunktshantering – Kontakt Burlöv</a>'
        in html
    )
    assert "diarienummer KS/2020:207-003" in html
    assert "Ändra guiden" not in html
    _edit(signed_in(owner), "staff_guide", sv="## Nytt\nRing **Maja** på Medborgarservice.", en="")
    html = signed_in(org.officer).get(reverse("cases:guide")).content.decode()
    assert '<h2 id="nytt">Nytt</h2>' in html and "Ring <strong>Maja</strong>" in html
    assert signed_in(org.stats).get(reverse("cases:guide")).status_code == 200


def test_the_portal_gains_no_query_with_the_cache_filled_and_one_when_empty(owner, django_assert_num_queries):
    texts.service_message_save(
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
        texts={"sv": "Driftstörning i e-tjänsten."},
        by=owner,
    )
    _edit(signed_in(owner), "start_handled", sv="Egen text.", en="")
    client = Client()
    with django_assert_num_queries(1):  # the texts and the service messages, in one query
        html = client.get("/").content.decode()
    assert "Egen text." in html and "Driftstörning" in html
    with django_assert_num_queries(0):
        assert "Driftstörning" in client.get("/").content.decode()


def test_the_portal_reads_the_texts_when_the_cache_is_down(owner, settings):
    _edit(signed_in(owner), "start_handled", sv="Texten finns ändå.", en="")
    # A Redis cache on a port where nothing listens (Django rebuilds its
    # caches when the setting changes).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    assert "Texten finns ändå." in _portal()
