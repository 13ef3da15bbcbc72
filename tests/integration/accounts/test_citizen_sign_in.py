"""Citizen sign-in through the development identity provider, over HTTP."""

import re

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from accounts.citizen import numbers
from accounts.citizen.provider import account_uid
from accounts.models import CitizenIdentity, User
from devidp.personas import BY_KEY
from tests.factories import UserFactory
from tests.integration.accounts.conftest import choose_persona, main_text, sign_in, start_sign_in

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "Du kunde inte loggas in"


def people():
    """Users that are not the provider's own persona rows."""
    return User.objects.exclude(username__startswith="devidp-persona-")


def test_person_with_personnummer_signs_in_and_only_a_hash_is_kept(dev_idp):
    session, response = sign_in(dev_idp, "tolvan")
    assert response.status_code == 200
    assert response.url == f"{dev_idp}/mina-sidor/"
    assert "Tolvan Tolvansson" in main_text(response)
    assert "19121212-****" in main_text(response)

    user = people().get()
    assert user.kind == User.Kind.CITIZEN
    assert (user.first_name, user.last_name, user.email) == ("Tolvan", "Tolvansson", "")
    assert not user.has_usable_password()
    identity = user.citizen_identity
    assert identity.number_kind == "personnummer"
    assert identity.number_masked == "19121212-****"
    assert identity.number_hash == numbers.number_hash("191212121212")
    assert identity.assurance_level == "http://id.elegnamnden.se/loa/1.0/loa3"

    account = SocialAccount.objects.get(user=user)
    issuer = f"{dev_idp}/dev-idp"
    assert account.provider == "eid"
    assert account.uid == account_uid(issuer, BY_KEY["tolvan"].subject)
    assert account.extra_data == {
        "id_token": {"iss": issuer, "sub": BY_KEY["tolvan"].subject, "acr": "http://id.elegnamnden.se/loa/1.0/loa3"}
    }
    for row in (
        User.objects.filter(pk=user.pk).values(),
        CitizenIdentity.objects.values(),
        SocialAccount.objects.values(),
    ):
        assert "191212121212" not in str(list(row))


def test_signing_in_again_reuses_the_account(dev_idp):
    sign_in(dev_idp, "tolvan")
    session, response = sign_in(dev_idp, "tolvan")
    assert response.status_code == 200
    assert people().count() == 1
    assert SocialAccount.objects.count() == 1


def test_person_with_samordningsnummer_signs_in(dev_idp):
    session, response = sign_in(dev_idp, "karim")
    assert response.status_code == 200
    identity = people().get().citizen_identity
    assert (identity.number_kind, identity.number_masked) == ("samordningsnummer", "19701063-****")


def test_person_with_foreign_eid_and_no_number_signs_in(dev_idp):
    session, response = sign_in(dev_idp, "marie")
    assert response.status_code == 200
    assert "Marie Dubois" in main_text(response)
    identity = people().get().citizen_identity
    assert (identity.number_hash, identity.number_kind, identity.number_masked) == ("", "", "")


def test_same_number_from_a_new_identity_finds_the_existing_citizen(dev_idp):
    earlier = UserFactory(kind=User.Kind.CITIZEN, username="citizen-earlier")
    CitizenIdentity.objects.create(
        user=earlier,
        number_hash=numbers.number_hash("191212121212"),
        number_kind="personnummer",
        number_masked="19121212-****",
    )
    session, response = sign_in(dev_idp, "tolvan")
    assert response.status_code == 200
    assert SocialAccount.objects.get().user == earlier
    assert people().count() == 1


@pytest.mark.parametrize(
    "persona, message",
    [
        ("wrong-issuer", "gick inte att lita på"),
        ("wrong-audience", "gick inte att lita på"),
        ("expired", "gick inte att lita på"),
        ("bad-signature", "gick inte att lita på"),
        ("unknown-kid", "gick inte att lita på"),
        ("replayed-nonce", "gick inte att lita på"),
        ("loa2", "inte tillräckligt säker"),
        ("bad-checksum", "giltigt personnummer"),
        ("bad-date", "giltigt personnummer"),
        ("both-numbers", "giltigt personnummer"),
    ],
)
def test_bad_sign_in_is_refused_and_nothing_is_created(dev_idp, persona, message):
    before = User.objects.count()
    session, response = sign_in(dev_idp, persona)
    assert response.status_code == 401
    text = main_text(response)
    assert REFUSED in text
    assert message in text
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()
    assert not CitizenIdentity.objects.exists()
    assert session.get(f"{dev_idp}/mina-sidor/", allow_redirects=False).status_code == 302


def test_state_from_another_browser_is_refused(dev_idp):
    session, authorize = start_sign_in(dev_idp)
    callback = choose_persona(session, authorize, "tolvan")
    stranger = requests.Session()
    response = stranger.get(callback)
    assert response.status_code == 401
    assert REFUSED in main_text(response)
    assert not SocialAccount.objects.exists()
    assert people().count() == 0


def test_replayed_state_is_refused(dev_idp):
    session, authorize = start_sign_in(dev_idp)
    callback = choose_persona(session, authorize, "tolvan")
    assert session.get(callback).status_code == 200
    replay = session.get(callback)
    assert replay.status_code == 401
    assert REFUSED in main_text(replay)
    assert SocialAccount.objects.count() == 1


def test_staff_account_can_never_sign_in_with_e_legitimation(dev_idp):
    staff = UserFactory(kind=User.Kind.STAFF)
    SocialAccount.objects.create(
        user=staff, provider="eid", uid=account_uid(f"{dev_idp}/dev-idp", BY_KEY["tolvan"].subject)
    )
    session, response = sign_in(dev_idp, "tolvan")
    assert response.status_code == 401
    assert "personalkonto" in main_text(response)
    assert session.get(f"{dev_idp}/mina-sidor/", allow_redirects=False).status_code == 302
    assert not CitizenIdentity.objects.exists()


def test_cancelling_at_the_provider_creates_nothing(dev_idp):
    import re
    from html import unescape

    session, authorize = start_sign_in(dev_idp)
    form = {
        k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', authorize.text)
    }
    form["cancel"] = "on"
    response = session.post(authorize.url, data=form)
    assert "Du avbröt inloggningen" in main_text(response)
    assert people().count() == 0


def test_sign_in_asks_for_the_swedish_profile_with_pkce_nonce_and_loa3(dev_idp):
    from urllib.parse import parse_qs, urlsplit

    session, authorize = start_sign_in(dev_idp)
    query = parse_qs(urlsplit(authorize.url).query)
    assert set(query["scope"][0].split()) == {
        "openid",
        "https://id.oidc.se/scope/naturalPersonNumber",
        "https://id.oidc.se/scope/naturalPersonInfo",
    }
    assert query["code_challenge_method"] == ["S256"]
    assert query["acr_values"] == ["http://id.elegnamnden.se/loa/1.0/loa3"]
    assert len(query["nonce"][0]) == 64
    assert query["redirect_uri"] == [f"{dev_idp}/konto/oidc/eid/login/callback/"]


def test_sign_out_ends_the_broker_session_with_the_id_token_hint(dev_idp):
    from urllib.parse import parse_qs, urlsplit

    import jwt
    from django.contrib.sessions.models import Session

    session, response = sign_in(dev_idp, "tolvan")
    assert response.status_code == 200
    # The kept ID token is sealed: the session row never holds the number in clear.
    assert not any("191212121212" in str(row.get_decoded()) for row in Session.objects.all())
    page = session.get(f"{dev_idp}/mina-sidor/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    out = session.post(f"{dev_idp}/mina-sidor/logga-ut/", data={"csrfmiddlewaretoken": csrf}, allow_redirects=False)
    location = out.headers["Location"]
    assert location.startswith(f"{dev_idp}/dev-idp/logout/")
    query = parse_qs(urlsplit(location).query)
    hint = jwt.decode(query["id_token_hint"][0], options={"verify_signature": False})
    assert hint["sub"] == BY_KEY["tolvan"].subject and hint["aud"] == "kontakt-dev"
    # The broker ends its session without asking and sends the citizen back.
    broker = session.get(location, allow_redirects=False)
    assert broker.status_code == 302 and broker.headers["Location"] == f"{dev_idp}/"
    assert session.get(f"{dev_idp}/mina-sidor/", allow_redirects=False).status_code == 302


def test_try_again_after_a_refusal_asks_the_broker_for_a_fresh_sign_in(dev_idp):
    from urllib.parse import parse_qs, urlsplit

    session, response = sign_in(dev_idp, "loa2")
    assert response.status_code == 401
    assert "Försök igen" in response.text
    session, authorize = start_sign_in(dev_idp, session)
    query = parse_qs(urlsplit(authorize.url).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]
    callback = choose_persona(session, authorize, "tolvan")
    assert session.get(callback).status_code == 200
    # Only that one retry.
    session.cookies.clear()
    session, authorize = start_sign_in(dev_idp, session)
    assert "prompt" not in parse_qs(urlsplit(authorize.url).query)


@pytest.mark.parametrize("iss", [None, "https://annan-utfardare.example"])
def test_authorization_response_with_a_missing_or_foreign_iss_is_refused(dev_idp, iss):
    from urllib.parse import parse_qsl, urlencode, urlsplit

    session, authorize = start_sign_in(dev_idp)
    callback = choose_persona(session, authorize, "tolvan")
    parts = urlsplit(callback)
    params = dict(parse_qsl(parts.query))
    assert params["iss"] == f"{dev_idp}/dev-idp"
    params.pop("iss")
    if iss:
        params["iss"] = iss
    response = session.get(parts._replace(query=urlencode(params)).geturl())
    assert response.status_code == 401
    assert "gick inte att lita på" in main_text(response)
    assert people().count() == 0


@pytest.fixture
def fetch_userinfo(dev_idp, settings):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["fetch_userinfo"] = True
    return dev_idp


@pytest.mark.parametrize("signed", [False, True])
def test_userinfo_plain_or_signed_is_used(fetch_userinfo, settings, signed):
    settings.DEVIDP_SIGNED_USERINFO = signed
    session, response = sign_in(fetch_userinfo, "tolvan")
    assert response.status_code == 200, main_text(response)
    assert people().get().citizen_identity.number_masked == "19121212-****"


def test_userinfo_signed_with_a_foreign_key_is_refused(fetch_userinfo, settings):
    settings.DEVIDP_SIGNED_USERINFO = "foreign-key"
    session, response = sign_in(fetch_userinfo, "tolvan")
    assert response.status_code == 401
    assert "gick inte att lita på" in main_text(response)
    assert people().count() == 0
