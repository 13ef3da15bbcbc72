"""Read queries for the back office, shaped for the screen. Each returns a
queryset or a small structure built with a fixed number of queries, whatever
the number of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, TypeVar, cast

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Switch
from django.db.models.functions import Cast, Substr
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cases import deadlines, notices, permissions, search
from cases.models import (
    Answer,
    AnswerTemplate,
    Attachment,
    Case,
    CaseEvent,
    CaseType,
    Department,
    ExcludedMatter,
    ImprovementCase,
    SecrecyMark,
    Unit,
    UnitMembership,
)
from notifications import selectors as outbox
from notifications.choices import Channel, TemplateKey
from notifications.models import OutboundMessage

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

OPEN = Case.OPEN_STATUSES
LIST_COUNT_CAP = 1_000


class Queue:
    MINE = "mine"
    UNITS = "units"
    UNASSIGNED = "unassigned"
    NEAR = "near"
    OVERDUE = "overdue"
    NEW = "new"
    # All open cases one may see; not a tab, but a drill-down from statistics.
    OPEN = "open"


# The list's status filter also takes this: the open cases whose officer
# asked the sender a question not yet answered (closing ends the question).
AWAITING_SENDER = "awaiting_sender"


# Receipt order is (received_date, received_at, id): the date is the local
# date of the moment, so the order is the moment's, and the covering indexes
# of migration 0004 (which lead with the date) can give the rows in it.
SORTS = {
    "due": ("due_date", "id"),
    "-due": ("-due_date", "-id"),
    "received": ("received_date", "received_at", "id"),
    "-received": ("-received_date", "-received_at", "-id"),
}


def near_deadline_threshold(today: date, calendar: deadlines.WorkingCalendar | None = None) -> date:
    """The date N working days after today (N = KONTAKT_NEAR_DEADLINE_WORKING_DAYS):
    an open case due on or before it, and not yet overdue, is near its deadline.
    Computed once per request; lists filter on due_date in SQL."""
    return (calendar or deadlines.current_calendar()).add_working_days(
        today, settings.KONTAKT_NEAR_DEADLINE_WORKING_DAYS
    )


def queues_for(user: User) -> list[tuple[str, str]]:
    """The queues shown to the user, in order."""
    queues = [
        (Queue.MINE, _("My cases")),
        (Queue.UNITS, _("My units' queue")),
        (Queue.UNASSIGNED, _("Unassigned")),
        (Queue.NEAR, _("Near deadline")),
        (Queue.OVERDUE, _("Overdue")),
    ]
    if permissions.is_citizen_service(user) or permissions.is_administrator(user):
        queues.append((Queue.NEW, _("All new cases")))
    return queues


def _search(qs: QuerySet[Case], q: str, user: User | None = None) -> tuple[QuerySet[Case], search.Marks | None]:
    """The cases the query finds (cases/search.py says what it means), and
    what to mark in their text (None when nothing was searched for or a
    case number was)."""
    if not q.strip():
        return qs, None
    parsed = search.parse(q)
    if parsed.number is not None:
        return qs.filter(search.number_q(parsed.number)), None
    if not parsed.words:
        return qs.none(), None
    if connection.vendor == "postgresql":
        tsquery = search.tsquery_text(parsed.words)
        if not tsquery:
            return qs.none(), None  # only stop words
        matches, marks = qs.filter(search.matches(tsquery)), search.Marks.of_tsquery(tsquery)
    else:
        matches, marks = qs.filter(search.words_q(parsed.words)), search.Marks.of_words(parsed.words)
    # A secret case's text is not searched for those who may not read it.
    return (matches.filter(permissions.content_visible_q(user)) if user is not None else matches), marks


@dataclass(frozen=True)
class CaseListing:
    """The list's cases (shaped for a row, sorted) and what to mark in each
    row's text (search.highlight)."""

    cases: QuerySet[ListedCase]
    marks: search.Marks = field(default_factory=search.Marks)


def _in_department(department: Department) -> Q:
    """The cases of the department's units. On PostgreSQL as unit_id =
    ANY(ARRAY(SELECT …)): the units are read first and the condition is a
    plain test of a column the covering index of migration 0004 holds, so
    the list can walk that index in receipt order and stop at its page (a
    join, or IN (SELECT …), which PostgreSQL turns into a join, makes it
    read and sort every case of the department in the period)."""
    if connection.vendor != "postgresql":
        return Q(unit__department=department)
    units = ArraySubquery(Unit.objects.filter(department=department).order_by().values("pk"))
    return Q(Func(F("unit_id"), units, template="%(expressions)s)", arg_joiner=" = ANY(", output_field=BooleanField()))


def case_list(*, user: User, filters: dict[str, Any], today: date, calendar: deadlines.WorkingCalendar) -> CaseListing:
    """The cases the user may see, narrowed by a queue and filters (the
    cleaned data of cases.forms.CaseFilterForm), sorted, shaped for a row."""
    qs = permissions.cases_visible_to(user)
    queue = filters.get("queue") or ""
    if queue:
        qs = qs.filter(status__in=OPEN)
    if queue == Queue.MINE:
        qs = qs.filter(permissions.ids_in("assignee_id", [user.pk]))
    elif queue == Queue.UNITS:
        qs = qs.filter(permissions.ids_in("unit_id", permissions.visible_unit_ids(user)))
    elif queue == Queue.UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    elif queue == Queue.NEAR:
        qs = qs.filter(due_date__gte=today, due_date__lte=near_deadline_threshold(today, calendar))
    elif queue == Queue.OVERDUE:
        qs = qs.filter(due_date__lt=today)
    elif queue == Queue.NEW:
        qs = qs.filter(status=Case.Status.NEW)

    if filters.get("status") == AWAITING_SENDER:
        qs = qs.filter(awaiting_sender_since__isnull=False)
    elif filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("subtype"):
        qs = qs.filter(CaseType.q(filters["subtype"]))
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    if filters.get("department"):
        qs = qs.filter(_in_department(filters["department"]))
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("resolution"):
        qs = qs.filter(resolution=filters["resolution"])
    if filters.get("received_from"):
        qs = qs.filter(received_date__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_date__lte=filters["received_to"])
    qs, marks = _search(qs, filters.get("q") or "", user)

    default_sort = "due" if queue else "-received"
    cases = _shaped(qs).order_by(*SORTS[filters.get("sort") or default_sort])
    return CaseListing(cases, marks or search.Marks())


class _RowAnnotations(TypedDict):
    excerpt: str
    is_secret: bool


# A case as the list reads it (_shaped): a few columns and these annotations.
if TYPE_CHECKING:
    ListedCase: TypeAlias = WithAnnotations[Case, _RowAnnotations]
else:
    ListedCase = Case
_Row = TypeVar("_Row", bound=Case)


def _shaped(qs: QuerySet[Case]) -> QuerySet[ListedCase]:
    """What a row of the list shows, in the query that reads the rows; the
    excerpt is enough of the text to show the part around a search's first
    match (search.highlight shortens it)."""
    return (
        qs.select_related("category", "unit", "assignee")
        .only(
            "id",
            "number",
            "kind",
            "feedback_type",
            "status",
            "awaiting_sender_since",
            "due_date",
            "received_at",
            "channel",
            "category__name",
            "category__name_en",
            "unit__name",
            "assignee__first_name",
            "assignee__last_name",
            "assignee__email",
            "assignee__username",
        )
        .annotate(excerpt=Substr("description", 1, search.EXCERPT_CHARS), is_secret=_is_secret())
    )


def _is_secret() -> Exists:
    """Whether the case has an active secrecy mark; the list view hides the
    text and subject of such a row from those who may not read it
    (permissions.has_secrecy_right, read once per request)."""
    return Exists(SecrecyMark.objects.filter(case=OuterRef("pk"), attachment__isnull=True, removed_at__isnull=True))


def page_rows(qs: QuerySet[Case]) -> QuerySet[ListedCase]:
    """The rows of one page (qs is the sliced list), read in one query of
    two steps: the inner query finds the page's ids, filtering and sorting
    on index columns only (with the covering indexes of migration 0004 an
    index-only scan, however many cases the filters match); the outer one
    reads just those rows with their text and related names."""
    ids = qs.values("pk")
    return _shaped(Case.objects.filter(pk__in=ids)).order_by(*qs.query.order_by)


def order_for_few(qs: QuerySet[_Row], sort: str) -> QuerySet[_Row]:
    """The same order, written so PostgreSQL does not walk the sort index.
    For a search with few matches (the capped count says so) reading the
    matches from the GIN index and sorting them is fast, while walking the
    received/due index and testing every row would read the whole table."""
    from django.db.models.functions import Coalesce

    fields = SORTS[sort]
    key = fields[0].lstrip("-")
    expr = Coalesce(key, key)
    return qs.order_by(expr.desc() if fields[0].startswith("-") else expr.asc(), *fields[1:])


if TYPE_CHECKING:
    _ListPaginator: TypeAlias = Paginator[ListedCase]
else:
    _ListPaginator = Paginator  # not subscriptable at run time


class CappedPaginator(_ListPaginator):
    """Counts at most LIST_COUNT_CAP + 1 rows, so a broad search at a million
    cases costs a bounded count; the page then says "more than 1 000"."""

    cap = LIST_COUNT_CAP
    object_list: QuerySet[ListedCase]

    @cached_property
    def count(self) -> int:
        # No order and no row columns: the count may stop at the cap in any
        # order and read index columns only.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    def page(self, number: int | str) -> Page[ListedCase]:
        page = super().page(number)
        if isinstance(page.object_list, QuerySet):
            page.object_list = page_rows(page.object_list)
        return page

    @property
    def capped(self) -> bool:
        return self.count > self.cap


@dataclass(frozen=True)
class Deadline:
    state: str  # "ok", "near", "overdue", "done"
    days_left: int | None
    label: str


def deadline_of(case: Case, today: date, calendar: deadlines.WorkingCalendar) -> Deadline:
    """The deadline in words, from the stored due date; pure arithmetic."""
    if case.status == Case.Status.CLOSED:
        return Deadline("done", None, _("Closed"))
    if case.due_date < today:
        return Deadline("overdue", None, _("Overdue"))
    left = calendar.working_days_between(today, case.due_date)
    if left <= settings.KONTAKT_NEAR_DEADLINE_WORKING_DAYS:
        words = (
            _("Due today")
            if left == 0
            else ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left}
        )
        return Deadline("near", left, _("Near deadline: %(when)s") % {"when": words})
    return Deadline("ok", left, ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left})


def cases_registered_by(user: User) -> QuerySet[Case]:
    """Ärenden jag registrerat: the cases the user typed in, newest first,
    with only what that page shows (no text, no contact details)."""
    return (
        Case.objects.filter(registered_by=user)
        .select_related("unit")
        .only("id", "number", "status", "resolution", "received_at", "due_date", "closed_at", "unit__name")
        .order_by("-received_at", "-id")
    )


def visible_ids(user: User, ids: Iterable[int]) -> frozenset[int]:
    """Which of these cases the user may open (cases_visible_to), in one query."""
    ids = sorted(set(ids))
    if not ids:
        return frozenset()
    return frozenset(permissions.cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def case_for_page(*, user: permissions.Viewer, number: str) -> Case:
    """One case with everything its page shows, in a fixed number of queries."""
    from django.shortcuts import get_object_or_404

    events = CaseEvent.objects.select_related("actor").order_by("created_at", "id")
    return get_object_or_404(
        permissions.cases_visible_to(user)
        .select_related(
            "category",
            "unit",
            "unit__department",
            "assignee",
            "registered_by",
            "duplicate_of",
            "excluded_matter",
            "contact",
        )
        .annotate(has_duplicates=Exists(duplicates_of(OuterRef("pk"))))
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("answers", queryset=_answers_with_improvement()),
        ),
        number=number,
    )


def duplicates_of(original: Any) -> QuerySet[Case]:
    """The cases closed as duplicates of `original` (a case's id, or an
    OuterRef to one); a reopened duplicate is no longer one."""
    return Case.objects.filter(duplicate_of=original, status=Case.Status.CLOSED, resolution=Case.Resolution.DUPLICATE)


def case_duplicates(*, user: permissions.Viewer, case: Case) -> list[Case]:
    """The duplicates of a case that `user` may see (the case page lists
    their numbers), oldest first; read only when case_for_page found any."""
    if not getattr(case, "has_duplicates", False):
        return []
    visible = permissions.cases_visible_to(user).filter(pk__in=duplicates_of(case.pk).values("pk"))
    return list(visible.only("id", "number", "received_date").order_by("received_at", "id"))


def _answers_with_improvement() -> QuerySet[Answer]:
    """A case's answers, each with the improvement its suggestion became
    (improvement_ref, improvement_title; None when none), in the answers'
    one query."""
    links = ImprovementCase.objects.filter(answer=OuterRef("pk")).order_by("linked_at", "id")
    return (
        Answer.objects.select_related("author")
        .annotate(
            improvement_ref=Subquery(links.values("improvement_id")[:1]),
            improvement_title=Subquery(links.values("improvement__title")[:1]),
        )
        .order_by("created_at", "id")
    )


def answer_templates_for(case: Case) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(Q(category=case.category_id) | Q(category__isnull=True), is_active=True)


@dataclass(frozen=True)
class TemplateChoice:
    pk: int
    title: str


@dataclass(frozen=True)
class ActionChoices:
    """The options of the case page's action forms: the units a case can be
    sent to (RouteForm), the colleagues it can be assigned to (AssignForm),
    the answer templates and the kinds of matter not handled here
    (CloseForm), each as (id, label) in the order shown."""

    units: list[tuple[int, str]] = field(default_factory=list)
    colleagues: list[tuple[int, str]] = field(default_factory=list)
    templates: list[TemplateChoice] = field(default_factory=list)
    excluded_matters: list[tuple[int, str]] = field(default_factory=list)


def _action_choices_sql() -> str:
    unit, department = Unit._meta.db_table, Department._meta.db_table
    membership, template = UnitMembership._meta.db_table, AnswerTemplate._meta.db_table
    excluded = ExcludedMatter._meta.db_table
    return f"""
        SELECT 'unit', u.id, 0, d.name, u.name, u.name, '', '', ''
            FROM {unit} u JOIN {department} d ON d.id = u.department_id
            WHERE u.is_active AND u.id <> %s
        UNION ALL
        SELECT 'user', p.id, 0, p.first_name, p.last_name, p.first_name, p.last_name, p.email, p.username
            FROM {User._meta.db_table} p JOIN {membership} m ON m.user_id = p.id
            WHERE m.unit_id = %s AND p.is_active
        UNION ALL
        SELECT 'template', t.id, t.position, t.title, '', t.title, '', '', ''
            FROM {template} t
            WHERE (t.category_id = %s OR t.category_id IS NULL) AND t.is_active
        UNION ALL
        SELECT 'excluded', x.id, x.position, x.name, '', x.name, '', '', ''
            FROM {excluded} x
            WHERE x.is_active
        ORDER BY 1, 3, 4, 5, 2
    """


def action_choices_for(case: Case) -> ActionChoices:
    """ActionChoices in one query: the same rows as RouteForm's units,
    colleagues_for, answer_templates_for and CloseForm's kinds of matter,
    which the forms still validate against."""
    choices = ActionChoices()
    with connection.cursor() as cursor:
        cursor.execute(_action_choices_sql(), [case.unit_id, case.unit_id, case.category_id])
        for kind, pk, _position, _sort1, _sort2, label, last_name, email, username in cursor.fetchall():
            if kind == "unit":
                choices.units.append((pk, label))
            elif kind == "user":
                person = User(first_name=label, last_name=last_name, email=email, username=username)
                choices.colleagues.append((pk, person.display_name))
            elif kind == "excluded":
                choices.excluded_matters.append((pk, label))
            else:
                choices.templates.append(TemplateChoice(pk=pk, title=label))
    return choices


def colleagues_for(case: Case) -> QuerySet[User]:
    """Who a case can be assigned to: the members of its unit."""
    return User.objects.filter(unit_memberships__unit_id=case.unit_id, is_active=True).order_by(
        "first_name", "last_name"
    )


# ------------------------------------------------------- messages (outbox)


@dataclass(frozen=True)
class MessageOutcome:
    """What became of one message about the case, read from the outbox and
    shown on the timeline among the events (staff only)."""

    created_at: datetime
    text: str
    message_id: int
    kind: str = "message"
    actor: None = None
    data: dict = field(default_factory=dict)
    is_for_citizen: bool = False

    def get_kind_display(self) -> str:
        return _("Message")


def _outcomes(message: OutboundMessage) -> list[MessageOutcome]:
    what = {
        "message": TemplateKey(message.template_key).label,
        "channel": Channel(message.channel).label,
    }
    entries = []

    def add(at: datetime | None, text: str) -> None:
        if at is not None:
            entries.append(MessageOutcome(created_at=at, text=text, message_id=message.pk))

    S = OutboundMessage.Status
    add(message.retried_at, _("%(message)s queued again by %(channel)s.") % what)
    add(message.sent_at, _("%(message)s sent by %(channel)s.") % what)
    if message.status == S.DELIVERED:
        add(message.updated_at, _("%(message)s delivered by %(channel)s.") % what)
    elif message.is_failed:
        add(
            message.updated_at,
            _("%(message)s could not be sent by %(channel)s: %(error)s") % {**what, "error": message.last_error},
        )
    return entries


def case_timeline(case: Case) -> list[CaseEvent | MessageOutcome]:
    """The case's events (prefetched by case_for_page) and the outcomes of
    its messages (sent, delivered, failed, queued again), read from the
    outbox by the case's subject key in one query, in time order. Notes the
    outbox once wrote on the timeline itself are left out where its row now
    tells the same."""
    messages = list(outbox.messages_about([notices.subject_key(case)]))
    told = {message.pk for message in messages}
    entries: list[CaseEvent | MessageOutcome] = [
        event
        for event in case.events.all()
        if not (event.kind == CaseEvent.Kind.NOTIFICATION and (event.data or {}).get("message_id") in told)
    ]
    for message in messages:
        entries.extend(_outcomes(message))
    return sorted(entries, key=lambda entry: entry.created_at)


# The case a message is about, from its subject key ("case:42"), in SQL.
_CASE_REF = Switch(
    When(
        subject_key__startswith=notices.SUBJECT_PREFIX,
        then=Cast(Substr("subject_key", len(notices.SUBJECT_PREFIX) + 1), BigIntegerField()),
    ),
    default=Value(None),
    output_field=BigIntegerField(),
)


class _FailedMessageAnnotations(TypedDict):
    case_ref: int | None
    content_visible: bool


# A message as failed_messages_for reads it.
if TYPE_CHECKING:
    FailedMessage: TypeAlias = WithAnnotations[OutboundMessage, _FailedMessageAnnotations]
else:
    FailedMessage = OutboundMessage


def failed_messages_for(user: User) -> QuerySet[FailedMessage]:
    """Messages that could not be sent: all of them for administrators; for
    other staff those of the cases they may see (permissions.cases_visible_to);
    none for anyone else. Each row has `case_ref`, the id of its case, and
    `content_visible`: the address and the error name the sender, so for a
    secret case only those who may read its content see them."""
    if not permissions.is_staff_user(user):
        return cast("QuerySet[FailedMessage]", OutboundMessage.objects.none())  # no rows to annotate
    rows = outbox.failed_messages().annotate(case_ref=_CASE_REF)
    rows = rows.annotate(
        content_visible=Q(case_ref__isnull=True)
        | Exists(Case.objects.filter(permissions.content_visible_q(user), pk=OuterRef("case_ref")))
    )
    if permissions.is_administrator(user):
        return rows
    return rows.filter(case_ref__in=permissions.cases_visible_to(user).values("pk"))


def case_of_message(message: FailedMessage, cases: dict[int, Case]) -> Case | None:
    """The message's case among those read by cases_of_messages."""
    return cases.get(message.case_ref) if message.case_ref else None


def cases_of_messages(messages: Iterable[FailedMessage]) -> dict[int, Case]:
    """The cases of a page of failed_messages_for, with their units, in one query."""
    ids = {message.case_ref for message in messages if message.case_ref}
    if not ids:
        return {}
    return Case.objects.select_related("unit").in_bulk(sorted(ids))


def digest_recipients() -> list[tuple[User, list[Case]]]:
    """Each staff member with an e-mail address and the open cases flagged
    near deadline or overdue that they answer for: the cases assigned to
    them; as a unit head, all their units' cases; as a case officer, their
    units' cases that nobody has been assigned."""
    flagged = list(
        Case.objects.filter(
            status__in=Case.OPEN_STATUSES, deadline_flag__in=(Case.DeadlineFlag.NEAR, Case.DeadlineFlag.OVERDUE)
        )
        .select_related("category", "unit", "assignee")
        .order_by("due_date", "number")
    )
    if not flagged:
        return []
    memberships = UnitMembership.objects.filter(
        unit_id__in={case.unit_id for case in flagged}, user__is_active=True
    ).select_related("user")
    heads: dict[int, list[User]] = defaultdict(list)
    officers: dict[int, list[User]] = defaultdict(list)
    for membership in memberships:
        (heads if membership.role == UnitMembership.Role.HEAD else officers)[membership.unit_id].append(membership.user)
    users: dict[int, User] = {}
    cases_of: dict[int, dict[int, Case]] = defaultdict(dict)

    def add(user: User | None, case: Case) -> None:
        if user is None or not user.is_active or user.is_citizen or not user.email:
            return
        users[user.pk] = user
        cases_of[user.pk][case.pk] = case

    for case in flagged:
        add(case.assignee, case)
        for head in heads[case.unit_id]:
            add(head, case)
        if case.assignee_id is None:
            for officer in officers[case.unit_id]:
                add(officer, case)
    return [(users[pk], list(cases_of[pk].values())) for pk in sorted(users)]
