"""No 500 on bad input: NUL bytes, broken UTF-8, surrogates, huge and odd
text in every public and staff form and every URL parameter answer below
500, and a refused submission stores nothing.

The bodies are built by hand (urlencoded bytes), so that anything, even
bytes that are not UTF-8, reaches the server as a browser or a script could
send it. Profiles: tests/conftest.py ("ci" a few hundred examples, `make fuzz`
ten thousand)."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cases.models import Case, CaseEvent, ExcludedMatter
from tests.factories import CategoryFactory
from tests.integration.cases.helpers import case_in, signed_in
from tests.integration.portal.test_mina_sidor import citizen

pytestmark = pytest.mark.django_db

SPECIAL = [
    "\x00",
    "KB-2026-\x00001",
    "\ud800",
    "\udfff text",
    "\ufffd",
    "\u202e\u200b\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂" * 50,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00%ff%fe",
    "9" * 40,
    "-1",
    "0",
    "x" * 100_000,
]
texts = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=[]), max_size=300),
    st.sampled_from(SPECIAL),
)
values = st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200))


def encode(pairs: list[tuple[str | bytes, bytes]]) -> bytes:
    return b"&".join(
        quote_from_bytes(k if isinstance(k, bytes) else k.encode()).encode() + b"=" + quote_from_bytes(v).encode()
        for k, v in pairs
    )


def form_data(fields: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[tuple[str | bytes, bytes]]]:
    """Each field either a plausible value or hostile bytes, plus stray fields."""
    per_field = {name: st.one_of(good.map(lambda t: t.encode()), values) for name, good in fields.items()}
    extras = st.lists(st.tuples(values, values), max_size=3)
    return st.tuples(st.fixed_dictionaries(per_field), extras).map(lambda d: [*d[0].items(), *d[1]])


def stored() -> tuple[int, int]:
    return Case.objects.count(), CaseEvent.objects.count()


def post_and_check(client: Client, url: str, pairs: list[tuple[str | bytes, bytes]]) -> None:
    before = stored()
    response = client.post(url, encode(pairs), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (url, pairs)
    if response.status_code != 302:
        assert stored() == before, f"{url} answered {response.status_code} but stored something"


def get_and_check(client: Client, url: str, query: list[tuple[str | bytes, bytes]]) -> None:
    response = client.get(url, QUERY_STRING=encode(query).decode("ascii"))
    assert response.status_code < 500, (url, query)


def one(value: str) -> st.SearchStrategy[str]:
    return st.just(value)


# ---- the public forms ------------------------------------------------------


@pytest.fixture
def public(organisation, settings):
    settings.KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR = 10**9
    settings.KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 10**9
    return CategoryFactory()


@given(data=st.data())
def test_the_intake_form_never_fails_and_stores_nothing_it_refuses(public, data):
    kind = data.draw(st.sampled_from(["berom", "klagomal", "forslag", "fraga", "felanmalan"]))
    fields = {
        "category": one(str(public.pk)),
        "subtype": st.sampled_from(["praise", "complaint", "suggestion", ""]),
        "description": one("Gatlampan på Storgatan 3 är trasig sedan i måndags."),
        "place": one("Storgatan 3"),
        "latitude": st.sampled_from(["55,55", "", "91"]),
        "longitude": st.sampled_from(["13,0", "", "x"]),
        "reply": st.sampled_from(["anonymous", "email", "sms"]),
        "name": one("Anna Andersson"),
        "email": one("anna@example.se"),
        "phone": one("070 123 45 67"),
        "website": one(""),
    }
    post_and_check(Client(), f"/lamna/{kind}/", data.draw(form_data(fields)))


@given(pairs=form_data({"kind": st.sampled_from(["felanmalan", "fraga"])}))
def test_the_kind_choice_never_fails(pairs):
    post_and_check(Client(), "/lamna/", pairs)


@pytest.fixture
def citizen_case(org):
    person = citizen()
    case = case_in(org.cat_a, citizen=person)
    client = Client()
    client.force_login(person)
    return client, case


@given(pairs=form_data({"text": one("Tack för svaret, lampan lyser nu.")}))
def test_the_mina_sidor_message_form_never_fails(citizen_case, pairs):
    client, case = citizen_case
    post_and_check(client, f"/mina-sidor/arenden/{case.public_id}/meddelande/", pairs)


@given(
    pairs=form_data(
        {
            "notify_by": st.sampled_from(["email", "sms", "none"]),
            "name": one("Tolvan"),
            "email": one("tolvan@example.se"),
            "phone": one("0701234567"),
        }
    )
)
def test_the_mina_sidor_contact_form_never_fails(citizen_case, pairs):
    client, _ = citizen_case
    post_and_check(client, "/mina-sidor/installningar/", pairs)


# ---- the back office ---------------------------------------------------------


@pytest.fixture
def staff(org):
    case = case_in(org.cat_a)
    return org, case, signed_in(org.officer)


@given(data=st.data())
def test_the_register_form_never_fails(staff, data):
    org, _, _ = staff
    fields = {
        "channel": st.sampled_from(["phone", "letter", "visit", "email"]),
        "subtype": st.sampled_from(["complaint", "question", "fault"]),
        "category": one(str(org.cat_b.pk)),
        "description": one("Ringde om buller från bygget."),
        "name": one("Bo Ek"),
        "phone": one("070-123 45 67"),
        "preferred": st.sampled_from(["sms", "email", "none"]),
    }
    post_and_check(signed_in(org.desk), "/handlaggning/registrera/", data.draw(form_data(fields)))


@given(data=st.data())
def test_the_case_actions_never_fail(staff, data):
    org, case, client = staff
    case.refresh_from_db()
    version = one(str(case.version))
    matter = ExcludedMatter.objects.order_by("pk").first() or ExcludedMatter.objects.create(
        name="Partipolitik", texts={"sv": "Vänd dig till partiet."}
    )
    action, fields = data.draw(
        st.sampled_from(
            [
                ("anteckning", {"note-text": one("Ringde upp.")}),
                (
                    "svara",
                    {"answer-version": version, "answer-text": one("Vi lagar lampan."), "answer-channel": one("email")},
                ),
                (
                    "skicka-vidare",
                    {"route-version": version, "route-unit": one(str(org.c.pk)), "route-reason": one("Skolan.")},
                ),
                (
                    "avsluta",
                    {
                        "close-version": version,
                        "close-resolution": st.sampled_from(
                            ["answered", "transferred", "not_handled", "anonymous", "duplicate"]
                        ),
                        "close-transferred_to": one("Trafikverket"),
                        "close-transfer_reference": one("TRV 2026/4711"),
                        "close-excluded_matter": one(str(matter.pk)),
                        "close-duplicate_number": one(case.number),
                        "close-note": one("Hör till Trafikverket."),
                    },
                ),
                ("ateroppna", {"reopen-version": version, "reopen-reason": one("Nytt fel.")}),
                ("tilldela", {"assign-version": version, "assign-assignee": one(str(org.colleague.pk))}),
            ]
        )
    )
    pairs = data.draw(form_data(fields))
    before = stored()
    response = client.post(
        f"/handlaggning/arenden/{case.number}/{action}/",
        encode(pairs),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500, (action, pairs)
    if response.status_code != 302:
        assert Case.objects.count() == before[0] and CaseEvent.objects.count() == before[1]


@given(data=st.data())
def test_the_records_forms_never_fail(staff, data):
    org, case, _ = staff
    action, fields = data.draw(
        st.sampled_from(
            [
                (
                    "sekretess/markera",
                    {"mark-target": one("case"), "mark-provision": one("1"), "mark-review_on": one("2027-01-15")},
                ),
                ("behorighet", {"grant-email": one("a@example.se"), "grant-reason": one("Behöver läsa.")}),
                ("utlamnande", {"release-recipient": one("Tidningen"), "release-redact": one("contact")}),
                ("avslag", {"refusal-requester": one("Tidningen"), "refusal-reason": one("Sekretess.")}),
            ]
        )
    )
    post_and_check(
        signed_in(org.admin), f"/handlaggning/handlingar/arenden/{case.number}/{action}/", data.draw(form_data(fields))
    )


@given(
    pairs=form_data(
        {
            "number": one("19121212-1212"),
            "email": one("a@example.se"),
            "phone": one("0701234567"),
            "format": one("text"),
        }
    ),
    export=st.booleans(),
)
def test_the_register_extract_forms_never_fail(staff, pairs, export):
    org, _, _ = staff
    url = "/admin-verktyg/registerutdrag/export/" if export else "/admin-verktyg/registerutdrag/"
    post_and_check(signed_in(org.admin), url, pairs)


# ---- URL parameters ------------------------------------------------------------


@given(segment=values, suffix=st.sampled_from(["", "anteckning/", "sekretess/", "bilagor/x/"]))
def test_any_case_number_in_a_url_never_fails(staff, segment, suffix):
    org, _, client = staff
    path = "/handlaggning/arenden/" + quote_from_bytes(segment, safe="") + "/" + suffix
    assert client.get(path).status_code < 500, path
    records = "/handlaggning/handlingar/arenden/" + quote_from_bytes(segment, safe="") + "/atkomstlogg/"
    assert signed_in(org.admin).get(records).status_code < 500, records


@given(
    url=st.sampled_from(["/handlaggning/arenden/", "/handlaggning/", "/notiser/misslyckade/"]),
    query=form_data(
        {
            "queue": st.sampled_from(["mine", "unit", "all"]),
            "page": st.sampled_from(["1", "2", "-1", "999999999999999999999"]),
            "status": one("new"),
            "unit": one("1"),
            "category": one("1"),
            "received_from": one("2026-01-01"),
            "sort": one("due"),
            "q": one("lampa"),
        }
    ),
)
def test_list_filters_and_page_numbers_never_fail(staff, url, query):
    _, _, client = staff
    get_and_check(client, url, query)


@given(
    url=st.sampled_from(["/statistik/", "/statistik/fordelning/enhet/", "/statistik/export/oversikt.csv"]),
    query=form_data(
        {
            "period": st.sampled_from(["month", "quarter", "year", "custom"]),
            "month": one("2026-03"),
            "quarter": one("2"),
            "year": one("2026"),
            "received_from": one("2026-01-01"),
            "received_to": one("2026-02-01"),
        }
    ),
)
def test_statistics_filters_never_fail(staff, url, query):
    org, _, _ = staff
    get_and_check(signed_in(org.stats), url, query)


@given(segment=values, query=form_data({"sida": one("2")}))
def test_public_urls_never_fail(public, segment, query):
    client = Client()
    quoted = quote_from_bytes(segment, safe="")
    for path in (f"/lamna/{quoted}/", f"/kvitto/{quoted}/", f"/om/{quoted}/", f"/{quoted}"):
        assert client.get(path, QUERY_STRING=encode(query).decode("ascii")).status_code < 500, path


@given(name=values, value=values)
def test_headers_and_cookies_never_fail(public, name, value):
    client = Client()
    header = value.decode("latin-1")
    response = client.get(
        "/", HTTP_X_KONTAKT_PROBE=header, HTTP_ACCEPT_LANGUAGE=header, HTTP_COOKIE=f"sessionid={header}"
    )
    assert response.status_code < 500


def test_a_nul_byte_in_a_back_office_case_url_is_a_400(staff):
    _, case, client = staff
    assert client.get(f"/handlaggning/arenden/{case.number}%00/").status_code == 400
    assert client.get("/handlaggning/arenden/?q=lampa%00").status_code == 400
    assert client.get("/handlaggning/arenden/?q=%ff").status_code == 400
    assert client.get("/", HTTP_COOKIE='sessionid="\\000abc"').status_code == 400


def test_a_refused_intake_with_a_nul_byte_is_a_400_and_stores_nothing(public):
    response = Client().post(
        "/lamna/felanmalan/",
        {"category": public.pk, "description": "Trasig\x00 lampa på Storgatan.", "reply": "anonymous"},
    )
    assert response.status_code == 400 and not Case.objects.exists()
