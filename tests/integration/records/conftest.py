import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import secrecy, services
from cases.models import SecrecyProvision
from cases.provisions import ensure_provisions
from tests.factories import UserFactory, member
from tests.integration.cases.helpers import build_org, case_in

SECRET_TEXT = "Hemligtext Grannbråket Pilgatan"
ANSWER_TEXT = "Svarstext Kvittolapp Vattenledning"
NOTE_TEXT = "Anteckningstext Socialsekreterare Orkidé"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def org(db):
    ensure_provisions()
    org = build_org()
    # An officer of another department, to be given the right to read explicitly.
    org.granted = member(UserFactory(first_name="Greta", last_name="Behörig"), org.c)
    return org


def provision(code="OSL 26:1") -> SecrecyProvision:
    return SecrecyProvision.objects.get(code=code)


def full_case(org, *, category=None, answered=True):
    """A case of unit A with text, contact details, an attachment, a note and
    (unless answered=False, when it stays new) an answer."""
    case = case_in(category or org.cat_a, description=SECRET_TEXT, place="Pilgatan 7")
    services._store_attachment(
        case,
        services.AttachmentData(file=SimpleUploadedFile("lakarintyg.pdf", PDF_BYTES), content_type="application/pdf"),
        from_citizen=True,
    )
    services.case_add_note(case=case, text=NOTE_TEXT, by=org.officer)
    if answered:
        services.case_answer(case=case, text=ANSWER_TEXT, channel="email", by=org.officer)
    case.refresh_from_db()
    return case


def mark_case(case, by, code="OSL 26:1"):
    return secrecy.secrecy_mark(case=case, provision=provision(code), by=by)
