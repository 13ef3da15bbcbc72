"""Every action through HTTP: the allowed transitions, the forbidden ones,
and two officers editing the same case at once."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Answer, AnswerTemplate, Case, CaseEvent, ExcludedMatter
from tests.integration.cases.helpers import case_in, signed_in

pytestmark = pytest.mark.django_db


def url(name, case):
    return reverse(f"cases:{name}", args=[case.number])


def fresh(case):
    case.refresh_from_db()
    return case


def test_officer_takes_answers_and_closes_a_case(org):
    case = case_in(org.cat_a)
    client = signed_in(org.officer)
    assert client.post(url("take", case), {"take-version": case.version}).status_code == 302
    assert fresh(case).assignee == org.officer and case.status == Case.Status.IN_PROGRESS
    response = client.post(
        url("answer", case),
        {
            "answer-version": case.version,
            "answer-text": "Vi lagar lampan i veckan.",
            "answer-channel": "email",
            "answer-actions_taken": "Beställt reparation.",
            "answer-improvement": "Kontrollera lamporna oftare.",
        },
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Case.Status.ANSWERED and case.answered_in_time is True
    answer = Answer.objects.get(case=case)
    assert answer.actions_taken == "Beställt reparation." and answer.author == org.officer
    response = client.post(url("close", case), {"close-version": case.version, "close-resolution": "answered"})
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Case.Status.CLOSED and case.closed_in_time is True
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["registered", "assigned", "status_changed", "answered", "closed"]
    page = client.get(url("detail", case)).content.decode()
    assert "Vi lagar lampan i veckan." in page and org.officer.display_name in page


def test_route_with_reason_moves_the_case_and_clears_the_assignee(org):
    case = case_in(org.cat_a)
    services.case_assign(case=case, assignee=org.officer, by=org.officer)
    client = signed_in(org.officer)
    response = client.post(
        url("route", case),
        {"route-version": fresh(case).version, "route-unit": org.c.pk, "route-reason": "Gäller skolan."},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.unit == org.c and case.assignee is None
    event = case.events.get(kind=CaseEvent.Kind.ROUTED)
    assert event.text == "Gäller skolan." and event.actor == org.officer
    # The officer of unit A no longer sees it.
    assert client.get(url("detail", case)).status_code == 404


def test_routing_a_case_away_lands_on_the_queue_with_a_message_naming_it(org):
    case = case_in(org.cat_a)
    client = signed_in(org.officer)
    response = client.post(
        url("route", case),
        {"route-version": case.version, "route-unit": org.c.pk, "route-reason": "Gäller skolan."},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("cases:home")
    assert response.request["PATH_INFO"] == reverse("cases:list")
    assert f"Ärende {case.number} har skickats till {org.c.name}." in response.content.decode()


def test_routing_a_case_that_stays_in_sight_returns_to_it(org):
    case = case_in(org.cat_a)
    response = signed_in(org.admin).post(
        url("route", case), {"route-version": case.version, "route-unit": org.b.pk, "route-reason": "Gäller B."}
    )
    assert response.url == url("detail", case)


def test_assigning_a_new_case_away_from_the_desk_lands_on_the_queue(org):
    case = case_in(org.cat_a)
    client = signed_in(org.desk)
    response = client.post(
        url("assign", case), {"assign-version": case.version, "assign-assignee": org.officer.pk}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("cases:home")
    body = response.content.decode()
    assert f"Ärende {case.number} har tilldelats {org.officer.display_name}." in body
    assert fresh(case).assignee == org.officer


def test_assigning_a_case_that_stays_in_sight_returns_to_it(org):
    case = case_in(org.cat_a)
    response = signed_in(org.head).post(
        url("assign", case), {"assign-version": case.version, "assign-assignee": org.officer.pk}
    )
    assert response.url == url("detail", case)


def test_route_without_reason_keeps_the_choice_and_says_what_is_missing(org):
    case = case_in(org.cat_a)
    response = signed_in(org.officer).post(url("route", case), {"route-version": case.version, "route-unit": org.b.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv varför ärendet går till en annan enhet." in body
    assert f'<option value="{org.b.pk}" selected>' in body
    assert fresh(case).unit == org.a


def test_unit_head_reassigns_but_an_officer_cannot_take_a_colleagues_case(org):
    case = case_in(org.cat_a)
    services.case_assign(case=case, assignee=org.colleague, by=org.colleague)
    response = signed_in(org.officer).post(url("take", case), {"take-version": fresh(case).version})
    assert response.status_code == 403
    response = signed_in(org.head).post(
        url("assign", case), {"assign-version": case.version, "assign-assignee": org.officer.pk}
    )
    assert response.status_code == 302
    assert fresh(case).assignee == org.officer


def test_internal_note_is_on_the_timeline_and_internal(org):
    case = case_in(org.cat_a)
    signed_in(org.officer).post(url("note", case), {"note-text": "Ringde och lämnade meddelande."})
    event = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert event.text == "Ringde och lämnade meddelande." and not event.is_for_citizen


def _matter() -> ExcludedMatter:
    return ExcludedMatter.objects.create(name="Partipolitik", texts={"sv": "Vänd dig till partiet."})


def test_close_as_transferred_keeps_the_other_system_and_the_reference(org):
    case = case_in(org.cat_a)
    response = signed_in(org.officer).post(
        url("close", case),
        {
            "close-version": case.version,
            "close-resolution": "transferred",
            "close-transferred_to": "Lantmäteriet",
            "close-transfer_reference": "LEX-2026-12",
        },
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Case.Status.CLOSED and case.resolution == "transferred"
    assert (case.transferred_to, case.transfer_reference) == ("Lantmäteriet", "LEX-2026-12")


def test_close_as_not_handled_keeps_the_kind_of_matter_and_the_comment(org):
    case, matter = case_in(org.cat_a), _matter()
    response = signed_in(org.officer).post(
        url("close", case),
        {
            "close-version": case.version,
            "close-resolution": "not_handled",
            "close-excluded_matter": matter.pk,
            "close-note": "Politisk fråga, gick till partiet.",
        },
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Case.Status.CLOSED and case.resolution == "not_handled"
    assert case.excluded_matter == matter and case.resolution_note == "Politisk fråga, gick till partiet."


def test_close_as_duplicate_links_the_original(org):
    original, case = case_in(org.cat_a), case_in(org.cat_a)
    response = signed_in(org.officer).post(
        url("close", case),
        {
            "close-version": case.version,
            "close-resolution": "duplicate",
            "close-duplicate_number": original.number.lower(),
        },
    )
    assert response.status_code == 302
    assert fresh(case).duplicate_of == original


@pytest.mark.parametrize(
    "resolution,message",
    [
        ("transferred", "Skriv ärendets referens i det andra systemet."),
        ("transferred", "Skriv namnet på systemet eller myndigheten som ärendet har lämnats över till."),
        ("not_handled", "Välj vilken sorts ärende det är, så att avsändaren får veta vart hen kan vända sig."),
        ("duplicate", "Skriv numret på ärendet som det här är en dubblett av."),
        ("answered", "Registrera svaret innan du avslutar ärendet som besvarat."),
    ],
)
def test_close_without_what_the_resolution_needs_is_refused(org, resolution, message):
    case = case_in(org.cat_a)
    response = signed_in(org.officer).post(
        url("close", case), {"close-version": case.version, "close-resolution": resolution}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert fresh(case).status == Case.Status.NEW


def test_closing_a_closed_case_is_refused(org):
    case = case_in(org.cat_a)
    services.case_close(case=case, resolution="not_handled", note="Fel forum.", by=org.officer)
    response = signed_in(org.officer).post(
        url("close", case),
        {
            "close-version": fresh(case).version,
            "close-resolution": "not_handled",
            "close-excluded_matter": _matter().pk,
        },
    )
    # The close form is not offered for a closed case; a forged post gets the rule.
    assert response.status_code == 400
    assert "är avslutat" in response.content.decode()


def test_reopen_with_reason(org):
    case = case_in(org.cat_a)
    services.case_close(case=case, resolution="not_handled", note="Fel forum.", by=org.officer)
    client = signed_in(org.officer)
    assert client.post(url("reopen", case), {"reopen-version": fresh(case).version}).status_code == 400
    response = client.post(url("reopen", case), {"reopen-version": case.version, "reopen-reason": "Hörde av sig igen."})
    assert response.status_code == 302
    assert fresh(case).status == Case.Status.IN_PROGRESS
    assert case.events.filter(kind=CaseEvent.Kind.REOPENED, text="Hörde av sig igen.").exists()


def test_a_reopened_case_shows_its_current_status_and_keeps_the_closing_in_the_history(org):
    case = case_in(org.cat_a)
    services.case_close(case=case, resolution="not_handled", note="Fel forum.", by=org.officer)
    client = signed_in(org.officer)
    page = client.get(url("detail", case)).content.decode()
    facts = page[page.index('id="facts-title"') : page.index('id="contact-title"')]
    assert "Avslutat" in facts and "(i tid)" in facts
    services.case_reopen(case=fresh(case), reason="Hörde av sig igen.", by=org.officer)
    page = client.get(url("detail", case)).content.decode()
    facts = page[page.index('id="facts-title"') : page.index('id="contact-title"')]
    assert "Avslutat" not in facts and "(i tid)" not in facts
    assert "Pågår" in page
    history = page[page.index('id="timeline-title"') :]
    assert "Fel forum." in history and "Hörde av sig igen." in history


def test_reopening_an_open_case_is_refused(org):
    case = case_in(org.cat_a)
    response = signed_in(org.officer).post(url("reopen", case), {"reopen-version": case.version, "reopen-reason": "x"})
    assert response.status_code == 400
    assert "Bara ett avslutat ärende kan öppnas igen." in response.content.decode()


def test_anonymous_case_explains_why_and_closes_as_anonymous(org):
    case = case_in(org.cat_a, contact=None)
    client = signed_in(org.officer)
    page = client.get(url("detail", case)).content.decode()
    assert "Det här ärendet kan inte besvaras." in page
    assert 'name="answer-text"' not in page
    response = client.post(
        url("answer", case), {"answer-version": case.version, "answer-text": "Hej", "answer-channel": "email"}
    )
    assert response.status_code == 400
    assert "kan inte besvaras" in response.content.decode()
    response = client.post(url("close", case), {"close-version": case.version, "close-resolution": "anonymous"})
    assert response.status_code == 302
    assert fresh(case).resolution == Case.Resolution.ANONYMOUS


def test_department_head_reads_but_cannot_act(org):
    case = case_in(org.cat_a)
    client = signed_in(org.dept_head)
    page = client.get(url("detail", case)).content.decode()
    assert "Du kan läsa ärendet men inte ändra det." in page
    for name, data in [
        ("note", {"note-text": "x"}),
        ("close", {"close-version": 1, "close-resolution": "anonymous"}),
        ("route", {"route-version": 1, "route-unit": org.b.pk, "route-reason": "x"}),
    ]:
        assert client.post(url(name, case), data).status_code == 403
    assert fresh(case).version == 1


def test_acting_on_a_case_of_another_unit_is_404(org):
    case = case_in(org.cat_c)
    response = signed_in(org.officer).post(url("note", case), {"note-text": "x"})
    assert response.status_code == 404
    assert not case.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_stale_answer_shows_a_message_and_keeps_the_text(org):
    case = case_in(org.cat_a)
    read_version = case.version
    # A colleague routes... no: takes the case meanwhile.
    signed_in(org.colleague).post(url("take", case), {"take-version": read_version})
    response = signed_in(org.officer).post(
        url("answer", case),
        {
            "answer-version": read_version,
            "answer-text": "Mitt långa svar som inte får försvinna.",
            "answer-channel": "email",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Någon annan har ändrat ärende" in body
    assert "Mitt långa svar som inte får försvinna." in body
    assert f'name="answer-version" value="{fresh(case).version}"' in body
    assert not Answer.objects.filter(case=case).exists()


def test_two_officers_closing_at_once_only_one_wins(org):
    case = case_in(org.cat_a)
    first, second = signed_in(org.officer), signed_in(org.colleague)
    data = {"close-version": case.version, "close-resolution": "not_handled", "close-excluded_matter": _matter().pk}
    assert first.post(url("close", case), data).status_code == 302
    assert second.post(url("close", case), data).status_code == 409
    assert case.events.filter(kind=CaseEvent.Kind.CLOSED).count() == 1


def test_answer_starts_from_a_template_without_javascript(org):
    case = case_in(org.cat_a)
    template = AnswerTemplate.objects.create(category=org.cat_a, title="Gatlampa", text="Tack! Vi byter lampan.")
    AnswerTemplate.objects.create(category=org.cat_c, title="Annan", text="Fel mall")
    client = signed_in(org.officer)
    page = client.get(url("detail", case)).content.decode()
    assert "Gatlampa" in page and "Annan" not in page
    page = client.get(url("detail", case), {"mall": template.pk, "atgard": "answer"}).content.decode()
    assert "Tack! Vi byter lampan.</textarea>" in page


def test_attachment_download_checks_access_and_headers(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("karta.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    case = case_in(org.cat_a, attachments=[services.AttachmentData(file=pdf, content_type="application/pdf")])
    attachment = case.attachments.get()
    link = reverse("cases:attachment", args=[case.number, attachment.public_id])
    response = signed_in(org.officer).get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert signed_in(org.officer_c).get(link).status_code == 404
    assert signed_in(org.stats).get(link).status_code == 403


def test_register_a_phone_case(org):
    client = signed_in(org.desk)
    response = client.post(
        reverse("cases:register"),
        {
            "channel": "phone",
            "subtype": "complaint",
            "category": org.cat_b.pk,
            "description": "Ringde om buller från bygget.",
            "name": "Bo Ek",
            "phone": "070-123 45 67",
            "preferred": "sms",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "phone" and case.kind == "feedback" and case.feedback_type == "complaint"
    assert case.registered_by == org.desk and case.unit == org.b
    assert case.contact.phone == "+46701234567"
    assert response["Location"] == reverse("cases:detail", args=[case.number])


def test_register_with_bad_input_keeps_what_was_typed(org):
    response = signed_in(org.desk).post(
        reverse("cases:register"),
        {
            "channel": "letter",
            "description": "Brev om snöröjningen på Storgatan.",
            "phone": "12",
            "preferred": "email",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Brev om snöröjningen på Storgatan." in body
    assert "Välj vad det är för slags ärende." in body
    assert "Fel:" in body and 'aria-invalid="true"' in body
    assert not Case.objects.exists()
