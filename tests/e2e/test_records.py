"""A unit head in the browser marks a case as secret, reads its access log,
records a refusal and produces a redacted copy; axe-core on every page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from cases import services
from cases.models import Case, SecrecyMark, UnitMembership
from cases.permissions import ensure_groups
from cases.provisions import ensure_provisions
from records.models import AccessLogEntry, Refusal
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_unit_head_marks_a_case_reads_the_log_and_handles_a_request_for_a_copy(page):
    ensure_groups()
    ensure_provisions()
    unit = UnitFactory(name="Individ- och familjeomsorg")
    category = CategoryFactory(name="Socialtjänst", default_unit=unit)
    head = member(
        UserFactory(
            email="hedda@burlov.example", username="hedda@burlov.example", first_name="Hedda", last_name="Chef"
        ),
        unit,
        UnitMembership.Role.HEAD,
    )
    secret = activate_totp(head)
    case = services.case_register(
        kind=Case.Kind.QUESTION,
        category=category,
        channel=Case.Channel.PHONE,
        description="Jag behöver hjälp med min pappas hemtjänst.",
        contact=services.ContactData(name="Anna Andersson", email="anna@example.se"),
        attachments=[
            services.AttachmentData(
                file=SimpleUploadedFile("beslut.pdf", b"%PDF-1.4\n%%EOF\n"), content_type="application/pdf"
            )
        ],
    )
    detail = f"/handlaggning/arenden/{case.number}/"
    sign_in_staff(page, head.email, PASSWORD, secret, next_url=detail)
    assert AccessLogEntry.objects.filter(case_id=case.pk, user=head).count() == 1

    # The marking form: first without a choice, then marking the whole case.
    page.get_by_role("link", name="Sekretess och rätt att läsa").click()
    assert_accessible(page, "secrecy page")
    page.get_by_role("button", name="Sekretessmarkera").click()
    expect(page.get_by_role("alert").filter(has_text="Välj den bestämmelse som gäller.")).to_be_visible()
    assert_accessible(page, "secrecy page with errors")
    page.get_by_label("Hela ärendet").check()
    page.get_by_label("Bestämmelse").select_option(
        label="26 kap. 1 § OSL – Socialtjänst: uppgifter om en persons personliga förhållanden inom socialtjänsten"
    )
    page.get_by_role("button", name="Sekretessmarkera").click()
    expect(page.get_by_text("Sekretessmarkeringen sparades.")).to_be_visible()
    assert SecrecyMark.objects.filter(case=case, attachment__isnull=True, removed_at__isnull=True).exists()
    assert_accessible(page, "secrecy page with a mark")

    # The access log.
    page.goto(detail)
    expect(page.get_by_text("Ärendet är sekretessmarkerat.")).to_be_visible()
    page.get_by_role("link", name="Åtkomstlogg").click()
    expect(page.get_by_role("cell", name="Öppnade ärendet (text och kontaktuppgifter)").first).to_be_visible()
    assert_accessible(page, "access log")

    # The release page: the secret parts are ticked; a refusal with an error first.
    page.goto(detail)
    page.get_by_role("link", name="Kopia för utlämnande").click()
    assert page.get_by_label("Vad avsändaren skrev (text och plats)").is_checked()
    assert_accessible(page, "release page")
    page.get_by_role("button", name="Registrera avslaget").click()
    expect(page.get_by_role("alert").filter(has_text="Skriv varför kopian inte lämnas ut.")).to_be_visible()
    assert_accessible(page, "release page with errors")
    page.get_by_label("Bestämmelse").select_option(
        label="26 kap. 1 § OSL – Socialtjänst: uppgifter om en persons personliga förhållanden inom socialtjänsten"
    )
    page.get_by_label("Skäl till avslaget").fill("Uppgifterna rör enskilds personliga förhållanden.")
    page.get_by_role("button", name="Registrera avslaget").click()
    expect(page.get_by_text("Avslaget registrerades.")).to_be_visible()
    assert Refusal.objects.filter(case=case).count() == 1
    with page.expect_download() as download:
        page.get_by_role("button", name="Ta fram kopian som pdf").click()
    assert download.value.suggested_filename == f"kopia-{case.number}.pdf"
    assert AccessLogEntry.objects.filter(case_id=case.pk, kind="copy").count() == 1


def test_intake_form_with_protected_personal_data_is_accessible(narrow_page):
    ensure_provisions()
    CategoryFactory(name="Bostad")
    narrow_page.goto("/lamna/fraga/")
    box = narrow_page.get_by_label("Jag har skyddade personuppgifter")
    assert not box.is_checked()
    assert_accessible(narrow_page, "intake with the protected personal data choice")
    assert_no_horizontal_scroll(narrow_page)
