"""Every change to a case. Each service runs in one transaction, locks the
case row, checks the domain's rules, writes the change and appends a
CaseEvent through cases.timeline. Who is told what is decided in
cases/notices.py, which writes outbox rows in the same transaction; the
outbox sends them after commit."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Exists, Expression, F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CitizenIdentity, User
from cases import deadlines, hooks, notices, permissions, search, secrecy, selectors, surveys, timeline, tracking
from cases.models import (
    Answer,
    AnswerTemplate,
    Attachment,
    Case,
    CaseEvent,
    CaseNumberCounter,
    Category,
    Contact,
    ExcludedMatter,
    PausePeriod,
    Unit,
)
from core.validators import is_mobile


class CaseError(Exception):
    """A rule of the domain was broken, e.g. closing a closed case. The
    message is for the person who tried."""


class CaseConflict(CaseError):
    """Someone else changed the case since it was read."""


class CaseForbidden(CaseError):
    """The case is marked as secret and the person acting may not read it
    (checked under the lock, see _lock); the view answers 403."""


@dataclass(frozen=True)
class ContactData:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred: str = ""
    protected_identity: bool = False

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone or self.address)


@dataclass(frozen=True)
class AttachmentData:
    """An uploaded file already checked by the form: its content type was
    read from the content, not from the name."""

    file: UploadedFile
    content_type: str


# ---------------------------------------------------------------- numbers


def case_number_next(*, year: int) -> str:
    """The next number for the year, e.g. KB-2026-00042. The counter row is
    created if missing and incremented in the caller's transaction; the
    write holds the row lock (PostgreSQL) or the write lock (SQLite) until
    that transaction ends, so concurrent registrations never get the same
    number. One upsert where the database returns rows from it, otherwise
    insert-if-missing, increment and read."""
    if connection.features.supports_update_conflicts and connection.features.can_return_columns_from_insert:
        table = CaseNumberCounter._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (year, last) VALUES (%s, 1) "
                f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [year],
            )
            last = cursor.fetchone()[0]
    else:
        CaseNumberCounter.objects.bulk_create([CaseNumberCounter(year=year, last=0)], ignore_conflicts=True)
        CaseNumberCounter.objects.filter(year=year).update(last=F("last") + 1)
        last = CaseNumberCounter.objects.values_list("last", flat=True).get(year=year)
    return f"{settings.KONTAKT_CASE_PREFIX}-{year}-{last:05d}"


# ----------------------------------------------------------- registration


def _event(
    case: Case, payload: timeline.Payload, *, actor: User | None = None, text: str = "", at: datetime | None = None
) -> CaseEvent:
    return timeline.event_append(case=case, payload=payload, actor=actor, text=text, at=at)


def _withheld(case: Case, withheld: list[notices.Withheld]) -> None:
    """Say on the timeline (for staff only) which notices the sender's
    choice on Mina sidor stopped, so nobody believes they went out."""
    for notice in withheld:
        _event(
            case,
            timeline.NoticeWithheld(channel=notice.channel, template=notice.template_key),
            text=notice.text,
        )


def _contact_of(case: Case) -> Contact | None:
    """The contact details read with the locked case (_lock)."""
    try:
        return case.contact
    except Contact.DoesNotExist:
        return None


def _search_vector(document: Expression) -> SearchVector:
    return SearchVector(document, config=search.CONFIG)


def _refresh_search(case: Case) -> None:
    """What full-text search finds a case by: its number, text, place and
    every answer, in one UPDATE."""
    if connection.vendor != "postgresql":
        return  # SQLite searches the columns directly.
    answers = (
        Answer.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(
            text=StringAgg(
                Concat(Value(" "), "text", output_field=TextField()), delimiter="", order_by=("created_at", "id")
            )
        )
        .values("text")
    )
    document = Concat(
        "number", Value(" "), "description", Value(" "), "place", Subquery(answers), output_field=TextField()
    )
    Case.objects.filter(pk=case.pk).update(search_vector=_search_vector(document))


def _store_attachment(
    case: Case, item: AttachmentData, *, from_citizen: bool, event: CaseEvent | None = None
) -> Attachment:
    digest = hashlib.sha256()
    for chunk in item.file.chunks():
        digest.update(chunk)
    item.file.seek(0)
    attachment = Attachment(
        case=case,
        original_name=(item.file.name or "bilaga")[:255],
        content_type=item.content_type,
        size=item.file.size or 0,
        sha256=digest.hexdigest(),
        from_citizen=from_citizen,
        event=event,
    )
    attachment.file.save("upload", item.file, save=False)
    attachment.save()
    return attachment


def _calendar_and_case_id() -> tuple[deadlines.WorkingCalendar, int | None]:
    """The working-day calendar, and on PostgreSQL an id for the new case
    taken from its table's sequence, in one statement (ids, like the
    sequence, may have gaps; case numbers do not)."""
    if connection.vendor != "postgresql":
        return deadlines.current_calendar(), None
    table = connection.ops.quote_name(PausePeriod._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence(%s, 'id')), "
            f'ARRAY(SELECT start FROM {table} ORDER BY start, "end"), '
            f'ARRAY(SELECT "end" FROM {table} ORDER BY start, "end")',
            [Case._meta.db_table],
        )
        case_id, starts, ends = cursor.fetchone()
    return deadlines.WorkingCalendar.with_pauses(zip(starts, ends, strict=True)), case_id


@transaction.atomic
def case_register(
    *,
    kind: str,
    category: Category,
    description: str,
    feedback_type: str = "",
    channel: str = Case.Channel.WEB,
    contact: ContactData | None = None,
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    attachments: Sequence[AttachmentData] = (),
    citizen: User | None = None,
    registered_by: User | None = None,
    language: str = "sv",
    received_at: datetime | None = None,
    passed_on_by: str = "",
    passed_on_by_name: str = "",
    registered_at: datetime | None = None,
) -> Case:
    """Register a case from any channel: the portal, or staff on behalf of a
    citizen. Gives it a number and a due date counted from when it was
    received (staff may give an earlier moment: a letter that came
    yesterday), routes it to the category's default unit, starts the
    timeline and queues the receipt. A sender with protected personal data
    (contact.protected_identity, also when they stay anonymous) gets the
    case marked as secret at once, before the receipt is queued, whichever
    way the case came in. The attachments are the sender's, also when staff
    scan and register them. `registered_at`, when staff type in a case that
    came in earlier, is noted on the timeline.

    The number is taken late: the yearly counter's row stays locked from
    that moment until the commit, and every other registration of the year
    waits for it. On PostgreSQL the case's id comes from the sequence first,
    so the contact details, attachments and timeline entry are written
    before the number (the foreign keys are checked at commit), and the
    message templates are read before it too; after it come only the case
    row, the statistics row and the messages. Elsewhere (SQLite, whose
    writers take turns anyway) the case row is written first."""
    received_at = received_at or timezone.now()
    received_date = deadlines.local_date(received_at)
    calendar, case_id = _calendar_and_case_id()
    due_date = calendar.due_date(received_at)
    case = Case(
        pk=case_id,
        kind=kind,
        feedback_type=feedback_type if kind == Case.Kind.FEEDBACK else "",
        category=category,
        unit=category.default_unit,
        channel=channel,
        description=description,
        place=place,
        latitude=latitude,
        longitude=longitude,
        language=language,
        citizen=citizen,
        registered_by=registered_by,
        passed_on_by=passed_on_by,
        passed_on_by_name=passed_on_by_name if passed_on_by else "",
        received_at=received_at,
        received_date=received_date,
        due_date=due_date,
        original_due_date=due_date,
    )
    if _tracking_wanted(channel=channel, citizen=citizen, contact=contact):
        # The tracking link: its hash goes in with the case's row.
        tracking.tracking_token_set(case)
    if case_id is None:
        _case_insert(case)
    stored_contact = None
    if contact and not contact.is_empty():
        stored_contact = Contact.objects.create(case=case, **contact.__dict__)
    for item in attachments:
        _store_attachment(case, item, from_citizen=True)
    # Typed in later than it came in (more than a few minutes): say when.
    late = registered_at is not None and (registered_at - received_at).total_seconds() > 300
    _event(
        case,
        timeline.Registered(
            channel=channel,
            unit=case.unit.name,
            due_date=case.due_date.isoformat(),
            registered_at=registered_at.isoformat() if registered_at is not None and late else "",
        ),
        actor=registered_by,
        at=received_at,
    )
    prepared = notices.case_registered_prepare(case=case, contact=stored_contact)
    if case_id is not None:
        _case_insert(case)
    protected = contact is not None and contact.protected_identity
    if protected:
        secrecy.secrecy_mark_protected(case=case)
    hooks.send_cases_changed([case.pk])
    _withheld(case, notices.case_registered(case=case, contact=stored_contact, marked=protected, prepared=prepared))
    return case


def _tracking_wanted(*, channel: str, citizen: User | None, contact: ContactData | None) -> bool:
    """A new case gets a tracking link when its sender was not signed in
    (the signed-in follow on Mina sidor) and someone will be given it: the
    browser that sent a web case (the receipt page), or a receipt by e-mail
    or SMS that may carry it (not a neutral one). A case registered by staff
    for someone who cannot be reached gets none: nobody would hold it."""
    if citizen is not None:
        return False
    if channel == Case.Channel.WEB:
        return True
    return contact is not None and not contact.protected_identity and bool(contact.email or is_mobile(contact.phone))


def _case_insert(case: Case) -> None:
    """Give a new case its number and write its row."""
    case.number = case_number_next(year=case.received_date.year)
    if connection.vendor == "postgresql":
        # The search document of a new case (no answers yet), written with the row.
        case.search_vector = _search_vector(Value(" ".join([case.number, case.description, case.place])))
    case.save(force_insert=True)
    # Computed by the database and not read back: left deferred.
    del case.search_vector


# ---------------------------------------------------------------- changes


def _lock(case: Case, expected_version: int | None, reader: User | None = None) -> Case:
    # The category, unit and contact details come with the row; only the
    # case's row is locked. A reader must have the right to read the case's
    # content, checked here on the secrecy marks as they are under the lock
    # (marking locks the case too); the marks read are the ones the notices
    # use (permissions reads them once per case object).
    # Whether duplicates joined the case comes in the same query, so an
    # answer or a closing looks for their senders only when there are any.
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "unit", "contact")
        .annotate(has_duplicates=Exists(selectors.duplicates_of(OuterRef("pk"))))
        .get(pk=case.pk)
    )
    if reader is not None and not permissions.can_see_content(reader, locked):
        raise CaseForbidden(_("The case is marked as secret."))
    if expected_version is not None and locked.version != expected_version:
        raise CaseConflict(
            _(
                "Someone else changed case %(number)s while you were working on it. Read the latest version and try again."
            )
            % {"number": locked.number}
        )
    return locked


def _tell_duplicates(original: Case, news: str) -> None:
    """The senders of the cases that joined `original` are told it has been
    answered or closed (once per duplicate and news: notices
    .duplicates_told); what their choices withheld is noted on their cases."""
    if not getattr(original, "has_duplicates", False):
        return
    duplicates = list(selectors.duplicates_of(original.pk).select_related("category", "unit", "contact").order_by("id"))
    withheld = notices.duplicates_told(original=original, duplicates=duplicates, news=news)
    for duplicate in duplicates:
        _withheld(duplicate, withheld.get(duplicate.pk, []))


def _save(case: Case, *fields: str) -> Case:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    hooks.send_cases_changed([case.pk])
    return case


def _require_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise CaseError(_("Case %(number)s is closed. Reopen it first.") % {"number": case.number})


def _start_work(case: Case) -> list[str]:
    if case.status == Case.Status.NEW:
        case.status = Case.Status.IN_PROGRESS
        return ["status"]
    return []


@transaction.atomic
def case_route(
    *, case: Case, unit: Unit, reason: str, by: User, expected_version: int | None = None, at: datetime | None = None
) -> Case:
    case = _lock(case, expected_version)
    _require_open(case)
    if unit.pk == case.unit_id:
        raise CaseError(_("The case is already with %(unit)s.") % {"unit": unit.name})
    old_unit = case.unit
    case.unit = unit
    case.assignee = None
    _save(case, "unit", "assignee")
    _event(case, timeline.Routed(from_unit=old_unit.name, to_unit=unit.name), actor=by, text=reason, at=at)
    notices.case_routed(case=case, contact=_contact_of(case))
    return case


@transaction.atomic
def case_assign(
    *, case: Case, assignee: User, by: User, expected_version: int | None = None, at: datetime | None = None
) -> Case:
    case = _lock(case, expected_version)
    _require_open(case)
    if assignee is not None and case.assignee_id == assignee.pk:
        raise CaseError(_("The case is already assigned to %(name)s.") % {"name": assignee.display_name})
    case.assignee = assignee
    started = _start_work(case)
    _save(case, "assignee", *started)
    _event(
        case,
        timeline.Assigned(
            assignee=assignee.display_name if assignee else "", assignee_id=assignee.pk if assignee else None
        ),
        actor=by,
        at=at,
    )
    if started:
        # The one status change the sender sees between receipt and answer.
        _event(case, timeline.StatusChanged(status=Case.Status.IN_PROGRESS), actor=by, at=at)
    if assignee is not None and assignee != by:
        notices.case_assigned(case=case, contact=_contact_of(case))
    return case


@transaction.atomic
def case_add_note(
    *, case: Case, text: str, by: User, at: datetime | None = None, attachments: Sequence[AttachmentData] = ()
) -> CaseEvent:
    """An internal note, with files if any (a scanned document, a photo of
    the place). Never shown to the citizen."""
    event = _event(
        case, timeline.Note(attachments=[_file_name(item) for item in attachments]), actor=by, text=text, at=at
    )
    for item in attachments:
        _store_attachment(case, item, from_citizen=False, event=event)
    return event


def _file_name(item: AttachmentData) -> str:
    return (item.file.name or "bilaga")[:255]


def answer_refusal(*, case: Case, contact: Contact | None, channel: str) -> str:
    """Why the case cannot be answered by `channel`, or "" when it can."""
    if channel in (Answer.Channel.EMAIL, Answer.Channel.SMS, Answer.Channel.LETTER, Answer.Channel.PHONE):
        if contact is None or not contact.can_be_answered:
            return str(_("The case has no contact details, so it cannot be answered. Close it as anonymous."))
        if channel == Answer.Channel.EMAIL and not contact.email:
            return str(_("There is no e-mail address. Choose another way to answer."))
        if channel in (Answer.Channel.SMS, Answer.Channel.PHONE) and not contact.phone:
            return str(_("There is no phone number. Choose another way to answer."))
        if channel == Answer.Channel.SMS and not is_mobile(contact.phone):
            return str(
                _("The phone number is a landline, which cannot get text messages. Choose another way to answer.")
            )
        if channel == Answer.Channel.LETTER and not contact.address:
            return str(_("There is no postal address. Choose another way to answer."))
    if channel == Answer.Channel.PORTAL and case.citizen_id is None:
        return str(_("The sender was not signed in, so they cannot read an answer on Mina sidor."))
    return ""


@transaction.atomic
def case_answer(
    *,
    case: Case,
    text: str,
    channel: str,
    by: User,
    actions_taken: str = "",
    improvement: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
    reader: User | None = None,
    attachments: Sequence[AttachmentData] = (),
) -> Answer:
    """Record the answer to the sender, with the files that went with it (a
    letter sent, a decision). The first answer freezes whether the case was
    answered in time. With `reader` (the back office passes the person
    answering), a secret case they may not read raises CaseForbidden."""
    case = _lock(case, expected_version, reader)
    _require_open(case)
    contact = _contact_of(case)
    refusal = answer_refusal(case=case, contact=contact, channel=channel)
    if refusal:
        raise CaseError(refusal)
    at = at or timezone.now()
    answer = Answer.objects.create(
        case=case,
        text=text,
        channel=channel,
        actions_taken=actions_taken,
        improvement=improvement,
        author=by,
        created_at=at,
    )
    case.status = Case.Status.ANSWERED
    fields = ["status"]
    if case.first_answered_at is None:
        case.first_answered_at = at
        case.answered_in_time = deadlines.local_date(at) <= case.due_date
        case.answered_in_time_original = deadlines.local_date(at) <= case.original_due_date
        fields += ["first_answered_at", "answered_in_time", "answered_in_time_original"]
    _save(case, *fields)
    event = _event(
        case,
        timeline.Answered(channel=channel, answer_id=answer.pk, attachments=[_file_name(i) for i in attachments]),
        actor=by,
        at=at,
        text=text,
    )
    for item in attachments:
        _store_attachment(case, item, from_citizen=False, event=event)
    _refresh_search(case)
    _withheld(case, notices.case_answered(case=case, contact=contact, answer=answer))
    _tell_duplicates(case, notices.DuplicateNews.ANSWERED)
    return answer


@transaction.atomic
def case_close(
    *,
    case: Case,
    resolution: str,
    by: User,
    note: str = "",
    transfer_reference: str = "",
    transferred_to: str = "",
    excluded_matter: ExcludedMatter | None = None,
    duplicate_of: Case | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Case:
    """Close the case with its outcome, told to the sender in plain words
    (notices.case_closed): a transferred case names the other system or
    authority (`transferred_to`) and its reference there; a case not
    handled here names its kind (`excluded_matter`), whose text says why
    and where to turn, or at least a reason in `note`; a duplicate names the
    case it joined. Closing tells the senders of this case's own duplicates."""
    case = _lock(case, expected_version)
    _require_open(case)
    R = Case.Resolution
    if resolution == R.ANSWERED and not case.answers.exists():
        raise CaseError(_("Record the answer before closing the case as answered."))
    if resolution == R.TRANSFERRED and not transfer_reference.strip():
        raise CaseError(_("Give the reference in the other system."))
    if resolution == R.NOT_HANDLED and excluded_matter is None and not note.strip():
        raise CaseError(_("Say why the case is not handled here."))
    if resolution == R.NOT_HANDLED and excluded_matter is not None and not excluded_matter.is_active:
        raise CaseError(_("That kind of matter can no longer be chosen. Choose another."))
    if resolution == R.DUPLICATE:
        if duplicate_of is None:
            raise CaseError(_("Give the number of the case this one duplicates."))
        if duplicate_of.pk == case.pk:
            raise CaseError(_("A case cannot be a duplicate of itself."))
    contact = _contact_of(case)
    if resolution == R.ANONYMOUS and contact is not None and contact.can_be_answered:
        raise CaseError(_("The sender left contact details, so the case can be answered."))
    at = at or timezone.now()
    case.status = Case.Status.CLOSED
    case.resolution = resolution
    case.resolution_note = note
    case.transfer_reference = transfer_reference if resolution == R.TRANSFERRED else ""
    case.transferred_to = transferred_to.strip() if resolution == R.TRANSFERRED else ""
    case.excluded_matter = excluded_matter if resolution == R.NOT_HANDLED else None
    case.duplicate_of = duplicate_of if resolution == R.DUPLICATE else None
    case.deadline_flag = Case.DeadlineFlag.NONE
    # An open question to the sender ends with the case.
    case.awaiting_sender_since = None
    fields = [
        "status",
        "resolution",
        "resolution_note",
        "transfer_reference",
        "transferred_to",
        "excluded_matter",
        "duplicate_of",
        "deadline_flag",
        "awaiting_sender_since",
    ]
    if case.closed_at is None:
        # The first closing freezes the in-time verdicts; a reopened case
        # keeps them, so later work never rewrites history.
        case.closed_in_time = deadlines.local_date(at) <= case.due_date
        case.closed_in_time_original = deadlines.local_date(at) <= case.original_due_date
        fields += ["closed_in_time", "closed_in_time_original"]
    case.closed_at = at
    fields.append("closed_at")
    survey = surveys.survey_start(case=case, contact=contact, at=at) if resolution == R.ANSWERED else None
    _save(case, *fields)
    _event(
        case,
        timeline.Closed(
            resolution=resolution,
            transfer_reference=case.transfer_reference,
            duplicate_of=case.duplicate_of.number if case.duplicate_of else "",
            transferred_to=case.transferred_to,
            excluded_matter=case.excluded_matter.name if case.excluded_matter else "",
        ),
        actor=by,
        at=at,
        text=note,
    )
    _withheld(case, notices.case_closed(case=case, contact=contact, survey=survey))
    _tell_duplicates(case, notices.DuplicateNews.CLOSED)
    return case


@transaction.atomic
def case_reopen(
    *, case: Case, reason: str, by: User, expected_version: int | None = None, at: datetime | None = None
) -> Case:
    case = _lock(case, expected_version)
    if case.status != Case.Status.CLOSED:
        raise CaseError(_("Only a closed case can be reopened."))
    case.status = Case.Status.IN_PROGRESS
    case.resolution = ""
    _save(case, "status", "resolution")
    _event(case, timeline.Reopened(), actor=by, text=reason, at=at)
    return case


@transaction.atomic
def case_add_citizen_message(
    *,
    case: Case,
    text: str,
    citizen: User | None,
    attachments: Sequence[AttachmentData] = (),
    via: str = "mina_sidor",
    at: datetime | None = None,
) -> CaseEvent:
    """A follow-up from the sender: on Mina sidor (`citizen`, signed in), or
    through the tracking link's page (no citizen; only a reply to an open
    question). While a question is open (case_request_info) the message is
    the reply: it closes the question. Either way the assignee (or the unit)
    is told. The due date and the answered state are never touched."""
    case = _lock(case, None)
    _require_open(case)
    replying = case.awaiting_sender_since is not None
    if citizen is None and not replying:
        raise CaseError(_("There is no question to answer in this case."))
    stored = [_store_attachment(case, item, from_citizen=True) for item in attachments]
    fields = []
    if case.status == Case.Status.ANSWERED:
        case.status = Case.Status.IN_PROGRESS
        fields.append("status")
    if replying:
        case.awaiting_sender_since = None
        fields.append("awaiting_sender_since")
    if fields:
        _save(case, *fields)
    names = [a.original_name for a in stored]
    payload: timeline.Payload = (
        timeline.InfoProvided(via=via, attachments=names) if replying else timeline.CitizenMessage(attachments=names)
    )
    event = _event(case, payload, actor=citizen, text=text, at=at)
    notices.citizen_message(case=case, contact=_contact_of(case))
    return event


@transaction.atomic
def case_request_info(
    *, case: Case, question: str, by: User, expected_version: int | None = None, at: datetime | None = None
) -> str:
    """Ask the sender for more information (komplettering). The question
    goes by the sender's usual channel (cases.notices.info_requested) with a
    new tracking link when the message can carry one (the earlier link then
    stops working), is shown on the tracking page and on Mina sidor, and
    the case waits for the sender until they reply. It is not the answer:
    the due date and the answered state stay as they are. Returns the
    channel the question went by ("" when no message could carry it)."""
    case = _lock(case, expected_version)
    _require_open(case)
    contact = _contact_of(case)
    if case.citizen_id is None:
        if notices.private_link_possible(case=case, contact=contact):
            tracking.tracking_token_set(case)
        elif notices.case_is_neutral(case=case, contact=contact):
            raise CaseError(
                _(
                    "The case is secret and the sender was not signed in, so they cannot read a question here. "
                    "Call or write to the sender instead."
                )
            )
        elif case.tracking_token_hash is None:
            raise CaseError(
                _("The sender cannot be reached by e-mail, SMS, Mina sidor or a tracking link. Call or write instead.")
            )
    at = at or timezone.now()
    case.awaiting_sender_since = at
    started = _start_work(case)
    _save(case, "awaiting_sender_since", "tracking_token_hash", *started)
    channel, withheld = notices.info_requested(case=case, contact=contact, question=question)
    _event(case, timeline.InfoRequested(channel=channel), actor=by, text=question, at=at)
    if started:
        _event(case, timeline.StatusChanged(status=Case.Status.IN_PROGRESS), actor=by, at=at)
    _withheld(case, withheld)
    return channel


@transaction.atomic
def case_tracking_revoke(*, case: Case, by: User, expected_version: int | None = None) -> Case:
    """The tracking link stops working at once (it leaked, or the sender
    asks). A new one can be sent with case_tracking_renew."""
    case = _lock(case, expected_version)
    if case.tracking_token_hash is None:
        raise CaseError(_("The case has no tracking link to revoke."))
    case.tracking_token_hash = None
    _save(case, "tracking_token_hash")
    _event(case, timeline.TrackingRevoked(), actor=by)
    return case


@transaction.atomic
def case_tracking_renew(*, case: Case, by: User, expected_version: int | None = None) -> str:
    """A new tracking link, sent to the sender by e-mail or SMS; the earlier
    one stops working. Returns the channel it went by."""
    case = _lock(case, expected_version)
    if case.citizen_id is not None:
        raise CaseError(_("The sender was signed in and follows the case on Mina sidor."))
    contact = _contact_of(case)
    if not notices.private_link_possible(case=case, contact=contact):
        raise CaseError(
            _(
                "A new link cannot be sent: the sender cannot be reached by e-mail or SMS, "
                "or the case's messages must not carry content."
            )
        )
    tracking.tracking_token_set(case)
    _save(case, "tracking_token_hash")
    channel = notices.tracking_renewed(case=case, contact=contact)
    _event(case, timeline.TrackingRenewed(channel=channel), actor=by)
    return channel


# --------------------------------------------------------------- calendar


def _recompute_due_dates(*, affected_from: date, affected_to: date, by: User | None, reason: str) -> int:
    """Recompute the due date of every open case whose deadline window can
    touch [affected_from, affected_to]; note each change on its timeline.
    A due date a unit head set by hand (case_extend) may move later, never
    earlier. The sender of each case whose due date moved later and that
    has no answer yet is told the new date and `reason` (a delay notice,
    neutral for a secret case or a protected sender)."""
    calendar = deadlines.current_calendar()
    changed = 0
    delayed: dict[int, date] = {}
    open_cases = (
        Case.objects.select_for_update()
        .filter(status__in=Case.OPEN_STATUSES, received_date__lte=affected_to, due_date__gte=affected_from)
        .only("id", "received_at", "due_date", "extended_to", "first_answered_at", "version")
    )
    for case in open_cases.iterator(chunk_size=500):
        new_due = calendar.due_date(case.received_at)
        if case.extended_to is not None:
            new_due = max(new_due, case.extended_to)
        if new_due != case.due_date:
            old_due = case.due_date
            case.due_date = new_due
            _save(case, "due_date")
            _event(
                case, timeline.DeadlineChanged(old=old_due.isoformat(), new=new_due.isoformat()), actor=by, text=reason
            )
            changed += 1
            if new_due > old_due and case.first_answered_at is None:
                delayed[case.pk] = old_due
    _delay_notices(delayed, reason)
    return changed


def _delay_notices(old_due_dates: dict[int, date], reason: str) -> None:
    """Tell the senders of these cases (already locked) their new due date."""
    ids = sorted(old_due_dates)
    for start in range(0, len(ids), 500):
        chunk = Case.objects.filter(pk__in=ids[start : start + 500]).select_related("category", "unit", "contact")
        cases = {c.pk: c for c in chunk}
        delays = [notices.Delay(case=c, old_due_date=old_due_dates[c.pk], reason=reason) for c in cases.values()]
        for case_id, withheld in notices.cases_delayed(delays).items():
            _withheld(cases[case_id], withheld)


@transaction.atomic
def case_extend(
    *,
    case: Case,
    due_date: date,
    reason: str,
    by: User,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Case:
    """A unit head gives one case a later due date, for example while the
    only person who can answer is away. The reason is noted on the timeline
    and told to the sender with the new date (unless the case has been
    answered already). The calendar never moves the date earlier again."""
    case = _lock(case, expected_version)
    _require_open(case)
    if due_date <= case.due_date:
        raise CaseError(
            _("The new due date must be after the current one, %(date)s.") % {"date": case.due_date.isoformat()}
        )
    old_due = case.due_date
    case.due_date = due_date
    case.extended_to = due_date
    _save(case, "due_date", "extended_to")
    _event(
        case, timeline.DeadlineExtended(old=old_due.isoformat(), new=due_date.isoformat()), actor=by, text=reason, at=at
    )
    if case.first_answered_at is None:
        delays = [notices.Delay(case=case, old_due_date=old_due, reason=reason)]
        _withheld(case, notices.cases_delayed(delays).get(case.pk, []))
    return case


@transaction.atomic
def category_merge(*, source: Category, target: Category) -> int:
    """Merge one subject area into another: every case of `source` (closed
    ones too) and its answer templates move to `target`, and `source` is
    made inactive, so it is no longer offered. The cases keep their number,
    unit, timeline and version (no officer's open form becomes stale); from
    now on they follow `target`'s retention rule, and the statistics count
    them under `target` (through the cases_changed hook). Returns the number
    of cases moved."""
    if source.pk == target.pk:
        raise CaseError(_("A subject area cannot be merged into itself."))
    source = Category.objects.select_for_update().get(pk=source.pk)
    ids = list(Case.objects.filter(category_id=source.pk).values_list("pk", flat=True))
    Case.objects.filter(pk__in=ids).update(category_id=target.pk, updated_at=timezone.now())
    AnswerTemplate.objects.filter(category_id=source.pk).update(category_id=target.pk)
    source.is_active = False
    source.save(update_fields=["is_active"])
    hooks.send_cases_changed(ids)
    return len(ids)


@transaction.atomic
def pause_period_save(*, period: PausePeriod, by: User | None = None) -> int:
    """Create or change a pause period and recompute the due dates of the
    open cases it affects. Returns how many cases got a new due date."""
    old = PausePeriod.objects.filter(pk=period.pk).values_list("start", "end").first() if period.pk else None
    period.full_clean()
    period.save()
    lo = min(period.start, old[0]) if old else period.start
    hi = max(period.end, old[1]) if old else period.end
    hooks.send_calendar_changed(start=lo, end=hi)
    return _recompute_due_dates(affected_from=lo, affected_to=hi, by=by, reason=str(period))


@transaction.atomic
def pause_period_delete(*, period: PausePeriod, by: User | None = None) -> int:
    lo, hi, reason = period.start, period.end, str(period)
    period.delete()
    hooks.send_calendar_changed(start=lo, end=hi)
    return _recompute_due_dates(affected_from=lo, affected_to=hi, by=by, reason=reason)


# ---------------------------------------------------- citizens (Mina sidor)


@transaction.atomic
def citizen_contact_update(*, citizen: User, name: str, email: str, phone: str, notify_by: str) -> int:
    """The signed-in citizen's contact details and how they want to be
    notified (accounts.CitizenIdentity.NotifyBy: email, sms or none), kept on
    their identity and applied to each of their open cases. Returns how many
    cases changed; each of those notes it on its timeline (which fields,
    never the values)."""
    identity, _created = CitizenIdentity.objects.select_for_update().get_or_create(user=citizen)
    identity.email, identity.phone, identity.notify_by = email, phone, notify_by
    identity.save(update_fields=["email", "phone", "notify_by"])
    preferred_by: dict[str, str] = {
        CitizenIdentity.NotifyBy.EMAIL: Contact.Preferred.EMAIL,
        CitizenIdentity.NotifyBy.SMS: Contact.Preferred.SMS,
    }
    preferred = preferred_by.get(notify_by, "")
    wanted = {"name": name, "email": email, "phone": phone, "preferred": preferred}
    changed_cases = 0
    open_cases = list(
        Case.objects.select_for_update().filter(citizen=citizen, status__in=Case.OPEN_STATUSES).order_by("pk")
    )
    contacts = {c.case_id: c for c in Contact.objects.filter(case_id__in=[case.pk for case in open_cases])}
    for case in open_cases:
        contact = contacts.get(case.pk) or Contact(case=case)
        changed = [field for field, value in wanted.items() if getattr(contact, field) != value]
        if not changed:
            continue
        for field in changed:
            setattr(contact, field, wanted[field])
        contact.save()
        _save(case)
        _event(case, timeline.ContactChanged(fields=changed), actor=citizen)
        changed_cases += 1
    return changed_cases


# ------------------------------------------------ contact details and deadlines
# Corrected contact details (the failed-messages screen) and the deadline
# flag sweep.


@transaction.atomic
def case_update_contact(
    *, case: Case, by: User, email: str | None = None, phone: str | None = None, expected_version: int | None = None
) -> Contact:
    """Correct the sender's e-mail address or mobile number (already
    validated and normalised by the form). The timeline names the fields
    that changed, not the values: contact details live apart from the record."""
    case = _lock(case, expected_version)
    contact, _created = Contact.objects.get_or_create(case=case)
    changed = []
    for field, value in (("email", email), ("phone", phone)):
        if value is not None and getattr(contact, field) != value:
            setattr(contact, field, value)
            changed.append(field)
    if changed:
        contact.save(update_fields=changed)
        _save(case)
        _event(case, timeline.ContactChanged(fields=changed), actor=by)
    return contact


def case_flag_deadlines(*, today: date | None = None, chunk_size: int = 500) -> int:
    """Set each open case's deadline flag from its due date: overdue after
    the due date, near when KONTAKT_NEAR_DEADLINE_WORKING_DAYS or fewer
    working days are left, otherwise none. Idempotent: only cases whose flag
    changes are written, each with one DEADLINE_FLAG event per transition.
    The case's version is not bumped, so the sweep never makes an officer's
    open form stale. Returns how many cases changed."""
    from django.db.models import Q

    today = today or deadlines.local_date(timezone.now())
    near_limit = deadlines.add_working_days(today, settings.KONTAKT_NEAR_DEADLINE_WORKING_DAYS + 1)
    Flag = Case.DeadlineFlag
    targets = {
        Flag.OVERDUE: Q(due_date__lt=today),
        Flag.NEAR: Q(due_date__gte=today, due_date__lt=near_limit),
        Flag.NONE: Q(due_date__gte=near_limit),
    }
    changed = 0
    for flag, rule in targets.items():
        candidates = Case.objects.filter(rule, status__in=Case.OPEN_STATUSES).exclude(deadline_flag=flag)
        ids = list(candidates.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk_size):
            with transaction.atomic():
                locked = list(
                    candidates.filter(pk__in=ids[start : start + chunk_size])
                    .select_for_update()
                    .only("pk", "deadline_flag", "due_date")
                )
                if not locked:
                    continue
                Case.objects.filter(pk__in=[c.pk for c in locked]).update(deadline_flag=flag)
                hooks.send_cases_changed(c.pk for c in locked)
                now = timezone.now()
                events = [
                    timeline.event_build(
                        case_id=c.pk,
                        payload=timeline.DeadlineFlag(
                            flag=flag, previous=c.deadline_flag, due_date=c.due_date.isoformat()
                        ),
                        text=str(Flag(flag).label),
                        at=now,
                    )
                    for c in locked
                ]
                if flag == Flag.OVERDUE:
                    events += _overdue_notices([c.pk for c in locked], at=now)
                CaseEvent.objects.bulk_create(events)
                changed += len(locked)
    return changed


def _overdue_notices(case_ids: list[int], *, at: datetime) -> list[CaseEvent]:
    """Tell the sender of each case just found overdue without an answer,
    once per case (notices.cases_overdue); returns the timeline notes of the
    notices the senders' choices withheld."""
    unanswered = list(
        Case.objects.filter(pk__in=case_ids, first_answered_at__isnull=True).select_related(
            "category", "unit", "contact"
        )
    )
    withheld = notices.cases_overdue(unanswered) if unanswered else {}
    return [
        timeline.event_build(
            case_id=case_id,
            payload=timeline.NoticeWithheld(channel=notice.channel, template=notice.template_key),
            text=notice.text,
            at=at,
        )
        for case_id, held in withheld.items()
        for notice in held
    ]


# ------------------------------------------------------ retention (gallring)
# Added by the retention work (retention/services.py decides what is due and
# calls this inside its batch transaction; see docs/retention.md).

DISPOSED_TEXT = timeline.DISPOSED_TEXT


def _scrub_admin_history(case: Case) -> None:
    """The admin's history names a contact or attachment by its str(): the
    sender's name, address or file name."""
    for model in (Contact, Attachment):
        ids = [str(pk) for pk in model.objects.filter(case=case).values_list("pk", flat=True)]
        if ids:
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids).update(
                object_repr=DISPOSED_TEXT, change_message=""
            )


@transaction.atomic
def case_dispose(*, case: Case, reason: str = "") -> list[str]:
    """Remove the personal data of a closed case and keep the record as an
    anonymous statistical one: kind, category, unit, channel, dates, status,
    resolution and in-time verdicts stay; the sender's text, place and
    coordinates, the contact details, the link to the signed-in citizen,
    attachments (rows and files) and the admin's history of them, the texts
    of answers and of the timeline (each event keeps the fields its payload
    in cases.timeline declares as kept), the reasons given for access
    grants and for removed secrecy marks, and the search document go. Returns the storage names of the removed
    files, which are deleted from storage after commit."""
    case = _lock(case, None)
    if case.status != Case.Status.CLOSED:
        raise CaseError(_("Only a closed case can be disposed of."))
    hooks.send_cases_changed([case.pk], disposing=True)
    _scrub_admin_history(case)
    secrecy.secrecy_scrub(case=case)
    surveys.survey_scrub(case=case)
    Contact.objects.filter(case=case).delete()
    attachments = list(Attachment.objects.filter(case=case).only("pk", "file"))
    names = [a.file.name for a in attachments if a.file.name]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    if names:
        storage = Attachment._meta.get_field("file").storage

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    Answer.objects.filter(case=case).update(text=DISPOSED_TEXT, actions_taken="", improvement="")
    events = list(CaseEvent.objects.filter(case=case))
    for event in events:
        event.text = DISPOSED_TEXT if event.text else ""
        event.data = timeline.kept_on_disposal(event.kind, event.data)
    CaseEvent.objects.bulk_update(events, ["text", "data"], batch_size=500)
    case.description = DISPOSED_TEXT
    case.place = ""
    case.latitude = case.longitude = None
    case.resolution_note = DISPOSED_TEXT if case.resolution_note else ""
    case.citizen = None
    case.passed_on_by_name = ""
    case.search_vector = None
    # The tracking link ends with the personal data.
    case.tracking_token_hash = None
    case.awaiting_sender_since = None
    _save(
        case,
        "tracking_token_hash",
        "awaiting_sender_since",
        "description",
        "place",
        "latitude",
        "longitude",
        "resolution_note",
        "citizen",
        "passed_on_by_name",
        "search_vector",
    )
    _event(case, timeline.Disposed(), text=reason)
    return names
