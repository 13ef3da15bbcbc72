"""The PDF copy: read back with pypdf, the redacted parts are not in it at
all; the rest is. Releases and refusals are recorded."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import CaseEvent
from records.models import Refusal, Release
from records.pdf import DESCRIPTION, TIMELINE, answer_part, attachment_part
from tests.integration.cases.helpers import signed_in
from tests.integration.records.conftest import ANSWER_TEXT, NOTE_TEXT, SECRET_TEXT, full_case, mark_case, provision

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_redacted_parts_are_not_in_the_pdf_and_the_rest_is(org):
    case = full_case(org)
    attachment, answer = case.attachments.get(), case.answers.get()
    response = signed_in(org.officer).post(
        reverse("records:release", args=[case.number]),
        {
            "release-redact": [DESCRIPTION, attachment_part(attachment)],
            "release-recipient": "Lokaltidningen",
        },
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response)
    for redacted in ("Hemligtext", "Grannbråket", "Pilgatan", "lakarintyg"):
        assert redacted not in text
    assert ANSWER_TEXT in text and NOTE_TEXT in text and case.number in text
    assert "[Maskerat]" in text
    for never in ("anna@example.se", "Anna Andersson", "+46701234567"):
        assert never not in text
    release = Release.objects.get(case=case)
    assert release.recipient == "Lokaltidningen" and release.released_by == org.officer
    assert release.redacted == sorted([DESCRIPTION, attachment_part(attachment)])
    assert case.events.filter(kind=CaseEvent.Kind.RELEASED).count() == 1
    assert answer_part(answer)  # the answer was kept


def test_secret_parts_are_ticked_by_default_and_redacted_with_their_provision(org):
    case = full_case(org)
    mark_case(case, org.officer, code="OSL 26:1")
    client = signed_in(org.officer)
    form = client.get(reverse("records:release", args=[case.number])).content.decode()
    assert form.count("checked") == 2 + case.answers.count() + case.attachments.count()
    defaults = [DESCRIPTION, TIMELINE, attachment_part(case.attachments.get()), answer_part(case.answers.get())]
    response = client.post(reverse("records:release", args=[case.number]), {"release-redact": defaults})
    text = pdf_text(response)
    for secret in (SECRET_TEXT.split()[0], ANSWER_TEXT.split()[0], NOTE_TEXT.split()[0], "lakarintyg", "Pilgatan"):
        assert secret not in text
    assert "[Maskerat enligt 26 kap. 1 § OSL]" in text
    # The requester stayed anonymous.
    assert Release.objects.get(case=case).recipient == ""


def test_refusal_is_recorded_with_reason_and_provision(org):
    case = full_case(org)
    client = signed_in(org.officer)
    bad = client.post(reverse("records:refusal", args=[case.number]), {"refusal-reason": "", "refusal-provision": ""})
    assert bad.status_code == 400 and "Skriv varför kopian inte lämnas ut." in bad.content.decode()
    response = client.post(
        reverse("records:refusal", args=[case.number]),
        {
            "refusal-requester": "",
            "refusal-provision": provision("OSL 26:1").pk,
            "refusal-reason": "Uppgifterna rör enskilds personliga förhållanden.",
        },
    )
    assert response.status_code == 302
    refusal = Refusal.objects.get(case=case)
    assert refusal.provision.code == "OSL 26:1" and refusal.refused_by == org.officer
    assert case.events.filter(kind=CaseEvent.Kind.REFUSED).count() == 1
