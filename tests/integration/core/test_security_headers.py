"""Every kind of response carries the security headers: pages of the portal,
the back office and the admin, an attachment download, the 404 and 500
pages, a static file, the Twilio webhook and the health endpoint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases import services
from tests.integration.cases.helpers import case_in, signed_in

pytestmark = pytest.mark.django_db

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def assert_security_headers(response, what: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    for name, value in CSP_DIRECTIVES.items():
        assert directives.get(name) == [value], f"{what}: {name} is {directives.get(name)} in {csp!r}"
    assert directives["form-action"][0] == "'self'", what
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    policy = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy, f"{what}: {feature} missing from {policy!r}"
    assert response.get("Referrer-Policy") == "same-origin", what
    assert response.get("X-Content-Type-Options") == "nosniff", what
    assert response.get("X-Frame-Options") == "DENY", what


def test_portal_pages_carry_the_headers(organisation):
    client = Client()
    for url in ("/", "/lamna/", "/mina-sidor/logga-in/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)


def test_back_office_pages_and_downloads_carry_the_headers(org):
    pdf = SimpleUploadedFile("karta.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    case = case_in(org.cat_a, attachments=[services.AttachmentData(file=pdf, content_type="application/pdf")])
    client = signed_in(org.officer)
    for url in (reverse("cases:list"), reverse("cases:register"), reverse("cases:detail", args=[case.number])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
    download = client.get(reverse("cases:attachment", args=[case.number, case.attachments.get().public_id]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert_security_headers(download, "attachment download")


def test_the_admin_carries_the_headers(org):
    response = signed_in(org.admin).get("/admin/")
    assert response.status_code == 200
    assert_security_headers(response, "admin index")
    assert_security_headers(Client().get("/admin/login/"), "admin sign-in")


def test_error_pages_carry_the_headers(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.integration.core.boom_urls"
    client = Client(raise_request_exception=False)
    not_found = client.get("/handlaggning/arenden/KB-finns-inte/")
    assert not_found.status_code in (302, 404)
    assert_security_headers(not_found, "back office without sign-in")
    assert_security_headers(client.get("/finns-inte/"), "404")
    assert client.get("/finns-inte/").status_code == 404
    failed = client.get("/boom/")
    assert failed.status_code == 500
    assert_security_headers(failed, "500")
    bad = client.get("/handlaggning/arenden/KB%00/")
    assert bad.status_code == 400
    assert_security_headers(bad, "400")


def test_a_static_file_carries_the_headers(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/kontakt.css")
    assert response.status_code == 200
    assert_security_headers(response, "static file")


def test_the_twilio_webhook_and_the_health_endpoint_carry_the_headers():
    client = Client()
    webhook = client.post(reverse("notifications:twilio_status"), {"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert webhook.status_code == 403
    assert_security_headers(webhook, "Twilio webhook")
    health = client.get("/healthz")
    assert health.status_code == 200
    assert_security_headers(health, "/healthz")


def test_form_action_allows_the_sign_in_broker_and_nothing_else(settings):
    from django.conf import settings as live

    csp = Client().get("/healthz")["Content-Security-Policy"]
    form_action = next(part.split()[1:] for part in csp.split(";") if part.split()[:1] == ["form-action"])
    broker = "/".join(live.KONTAKT_OIDC_SERVER_URL.split("/")[:3])
    assert form_action == ["'self'", broker]
