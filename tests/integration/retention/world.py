"""Cases for the retention tests: due under their subject area's rule, held,
not yet due, still open; with contact details, a signed-in citizen, an
attachment, answers, notes and outbox messages, every text unique so that a
dump of the database can be searched for it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.citizen.numbers import number_hash
from accounts.models import CitizenIdentity, User
from cases import secrecy, services
from cases.models import Answer, Case, SecrecyProvision
from cases.services import AttachmentData, ContactData
from records import services as records_services
from retention import services as retention_services
from tests.factories import register_case
from tests.integration.cases.helpers import build_org

DAY = timedelta(days=1)
PIN = "198112189876"

# What must be gone from the database and the files after disposal.
DISPOSED_STRINGS = [
    "Gallringsdotter",
    "ingrid.unik@exempel.se",
    "+46701112233",
    "Unikgatan 7",
    "Xylofonparken",
    "xylofonpark",
    "Svarstext kvittrande",
    "kvittr",
    "Plommonträdet beskars",
    "Zebrafinkrutin",
    "Anteckning mandelblom",
    "Avslutsnotering lingonris",
    "Följdfråga pelargon",
    "ingrids-foto-unik.pdf",
    "FILINNEHALL-QZX",
    "Vidarebefordras hjortron",
    "ingrid.konto@exempel.se",
    "+46709998877",
    number_hash(PIN),
    "19811218-****",
    "Bengtsdotter-unik",
    "Bengtgatan-unik",
    "Ärende-text-bengt-unik",
    "Begärt-av-Rutger-unik",
    "Nekad-till-Sigrid-unik",
    "Nekandeskäl-tranbär",
    "Behörighetsskäl-krusbär",
]
# What must still be there: held, not yet due and open cases.
KEPT_STRINGS = ["Hålls-kvar-text", "hallen.kvar@exempel.se", "Nyligen-avslutad-text", "Fortfarande-öppen-text"]


def pdf(marker: bytes, name: str) -> AttachmentData:
    body = b"%PDF-1.4\n1 0 obj << >> endobj\n% " + marker + b"\n%%EOF\n"
    return AttachmentData(
        file=SimpleUploadedFile(name, body, content_type="application/pdf"), content_type="application/pdf"
    )


def _close_answered(case, *, by, at, text="Svar.", note=""):
    services.case_answer(case=case, text=text, channel=Answer.Channel.EMAIL, by=by, at=at - DAY)
    return services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=by, note=note, at=at)


def build():
    org = build_org()
    now = timezone.now()
    org.cat_a.retention_years = 1
    org.cat_a.save()
    # cat_b has no rule of its own: KONTAKT_RETENTION_YEARS_DEFAULT (2).

    citizen = User.objects.create(
        username="citizen-ingrid", kind=User.Kind.CITIZEN, first_name="Ingrid", last_name="Gallringsdotter"
    )
    CitizenIdentity.objects.create(
        user=citizen,
        number_hash=number_hash(PIN),
        number_kind="personnummer",
        number_masked="19811218-****",
        email="ingrid.konto@exempel.se",
        phone="+46709998877",
    )

    # Due: cat_b, closed 2.5 years ago, by a signed-in citizen.
    due = register_case(
        category=org.cat_b,
        kind=Case.Kind.FAULT_REPORT,
        citizen=citizen,
        description="Trasig gungställning vid Xylofonparken",
        place="Xylofonparken norra",
        latitude="55.612345",
        longitude="13.012345",
        contact=ContactData(
            name="Ingrid Gallringsdotter",
            email="ingrid.unik@exempel.se",
            phone="+46701112233",
            address="Unikgatan 7",
            preferred="email",
        ),
        attachments=[pdf(b"FILINNEHALL-QZX", "ingrids-foto-unik.pdf")],
        received_at=now - 3 * 365 * DAY,
    )
    services.case_route(case=due, unit=org.c, reason="Vidarebefordras hjortron", by=org.desk)
    services.case_add_note(case=due, text="Anteckning mandelblom", by=org.officer)
    services.case_add_citizen_message(
        case=due, text="Följdfråga pelargon", citizen=citizen, attachments=[pdf(b"FILINNEHALL-QZX-2", "andra.pdf")]
    )
    services.case_answer(
        case=due,
        text="Svarstext kvittrande",
        channel=Answer.Channel.EMAIL,
        by=org.officer_c,
        actions_taken="Plommonträdet beskars",
        improvement="Zebrafinkrutin",
        at=now - (3 * 365 - 5) * DAY,
    )
    services.case_close(
        case=due,
        resolution=Case.Resolution.ANSWERED,
        by=org.officer_c,
        note="Avslutsnotering lingonris",
        at=now - 900 * DAY,
    )

    # Due: cat_a (1 year), an anonymous-looking one with only a name, never answered.
    due_a = register_case(
        category=org.cat_a,
        description="Ärende-text-bengt-unik",
        contact=ContactData(name="Bengt Bengtsdotter-unik", address="Bengtgatan-unik 1"),
        received_at=now - 500 * DAY,
    )
    services.case_close(
        case=due_a, resolution=Case.Resolution.NOT_HANDLED, by=org.officer, note="Fel kanal.", at=now - 400 * DAY
    )

    # Held: cat_a, closed 2 years ago, with a hold.
    held = register_case(
        category=org.cat_a,
        description="Hålls-kvar-text",
        contact=ContactData(name="Hållen Person", email="hallen.kvar@exempel.se"),
        received_at=now - 800 * DAY,
    )
    _close_answered(held, by=org.officer, at=now - 730 * DAY)
    hold = retention_services.hold_place(case=held, reason="Begäran om allmän handling", by=org.admin)

    # Not yet due: cat_b (2 years), closed 1.5 years ago (cat_a's rule would have made it due).
    recent = register_case(
        category=org.cat_b,
        description="Nyligen-avslutad-text",
        contact=ContactData(name="Nyligen", email="nyligen@exempel.se"),
        received_at=now - 560 * DAY,
    )
    _close_answered(recent, by=org.officer, at=now - 548 * DAY)

    # Open for three years: never due while open.
    still_open = register_case(
        category=org.cat_a,
        description="Fortfarande-öppen-text",
        contact=ContactData(name="Öppen", email="oppen@exempel.se"),
        received_at=now - 3 * 365 * DAY,
    )
    # Public-record requests about the due case name their requesters.
    provision = SecrecyProvision.objects.order_by("pk").first()
    records_services.release_record(case=due, by=org.admin, recipient="Begärt-av-Rutger-unik", redact=[], pdf=b"%PDF-")
    records_services.refusal_record(
        case=due, by=org.admin, requester="Nekad-till-Sigrid-unik", provision=provision, reason="Nekandeskäl-tranbär"
    )
    secrecy.access_grant(case=due, user=org.colleague, by=org.admin, reason="Behörighetsskäl-krusbär")
    return SimpleNamespace(
        org=org,
        citizen=citizen,
        due=due,
        due_a=due_a,
        held=held,
        hold=hold,
        recent=recent,
        still_open=still_open,
        now=now,
    )
