"""The case domain. Models hold data and simple derived properties; every
change to a case goes through cases/services.py."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A förvaltning."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="headed_departments", verbose_name=_("department heads")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An enhet: the part of a department that handles cases."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="units", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(
        _("e-mail for new cases"), blank=True, help_text=_("New cases in the unit are announced here.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="UnitMembership", blank=True, related_name="units", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="unique_unit_name_per_department")]

    def __str__(self):
        return self.name


class UnitMembership(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", _("Case officer")
        HEAD = "head", _("Unit head")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="unique_unit_membership")]

    def __str__(self):
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class Category(models.Model):
    """An ämnesområde. Each has a default unit that new cases are routed to."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    default_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="default_for_categories", verbose_name=_("default unit")
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years after closing)"),
        null=True,
        blank=True,
        help_text=_("Empty means the default of the records management plan."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def localized_name(self, language_code: str | None = None) -> str:
        from django.utils.translation import get_language

        lang = language_code or get_language() or "sv"
        return self.name_en if lang.startswith("en") and self.name_en else self.name


class PausePeriod(models.Model):
    """Days that do not count as working days, such as the summer weeks the
    guideline allows as an exception. Saving one recomputes open cases' due
    dates (cases.services.pause_period_save)."""

    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_(
            "Senders whose answer is delayed by the pause period are told this reason with the new date. "
            "Write it for them, for example: the summer holidays."
        ),
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("pause period")
        verbose_name_plural = _("pause periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="pause_end_after_start")
        ]

    def __str__(self):
        return f"{self.reason} ({self.start}–{self.end})"


class CaseNumberCounter(models.Model):
    """The last number handed out per year. Numbers are never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")

    def __str__(self):
        return f"{self.year}: {self.last}"


class SearchWord(models.Model):
    """A word (a lexeme of the search configuration) that occurs in some
    case's search document: the vocabulary that search compares a misspelt
    word and the last part of a compound with (cases/search.py). Kept by a
    trigger on PostgreSQL (migration 0007), rebuilt by `manage.py
    search_rebuild`; it holds words only, never which case they came from.
    Unused on SQLite."""

    word = models.CharField(_("word"), max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class Case(models.Model):
    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback")
        QUESTION = "question", _("Question")
        FAULT_REPORT = "fault_report", _("Fault report")

    class FeedbackType(models.TextChoices):
        PRAISE = "praise", _("Praise")
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        SOCIAL_MEDIA = "social_media", _("Social media")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Resolution(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        TRANSFERRED = "transferred", _("Transferred to another system")
        NOT_HANDLED = "not_handled", _("Not handled here")
        ANONYMOUS = "anonymous", _("Anonymous, cannot be answered")
        DUPLICATE = "duplicate", _("Duplicate")

    class DeadlineFlag(models.TextChoices):
        NONE = "", _("On track")
        NEAR = "near", _("Near deadline")
        OVERDUE = "overdue", _("Overdue")

    class PassedOnBy(models.TextChoices):
        """Who passed a case on to the member of staff who registers it (the
        guideline names politicians and colleagues)."""

        NOBODY = "", _("Nobody: the sender contacted us")
        ELECTED_OFFICIAL = "elected_official", _("An elected official")
        COLLEAGUE = "colleague", _("A colleague")
        OTHER = "other", _("Someone else")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.ANSWERED)

    # The id used in citizens' URLs; not guessable, unlike the number.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("case number"), max_length=30, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    feedback_type = models.CharField(_("kind of feedback"), max_length=20, choices=FeedbackType.choices, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("subject area")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("case officer"),
    )
    channel = models.CharField(_("channel of receipt"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    transfer_reference = models.CharField(_("reference in the other system"), max_length=200, blank=True)
    # The other system or authority a transferred case went to, told to the sender.
    transferred_to = models.CharField(_("other system or authority"), max_length=200, blank=True)
    # The kind of matter a case closed as not handled here is: its text tells
    # the sender why and where to turn.
    excluded_matter = models.ForeignKey(
        "ExcludedMatter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("kind of matter not handled here"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    description = models.TextField(_("description"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, default="sv")

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_cases",
        verbose_name=_("signed-in citizen"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_cases",
        verbose_name=_("registered by"),
    )

    passed_on_by = models.CharField(
        _("passed on by"), max_length=20, choices=PassedOnBy.choices, blank=True, default=""
    )
    passed_on_by_name = models.CharField(_("name of who passed it on"), max_length=200, blank=True)

    received_at = models.DateTimeField(_("received"))
    received_date = models.DateField(_("received (local date)"))
    due_date = models.DateField(_("due date"))
    # The due date the receipt gave: never changed afterwards, so the
    # statistics can count in time against it beside the due date in force.
    original_due_date = models.DateField(_("original due date"))
    # The due date a unit head set by hand (cases.services.case_extend): a
    # changed calendar may move the due date later than this, never earlier.
    extended_to = models.DateField(_("due date set by a unit head"), null=True, blank=True)
    deadline_flag = models.CharField(
        _("deadline flag"), max_length=10, choices=DeadlineFlag.choices, blank=True, default=""
    )
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    answered_in_time = models.BooleanField(_("answered in time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_in_time = models.BooleanField(_("closed in time"), null=True, blank=True)
    # The same verdicts against the original due date, frozen at the same moments.
    answered_in_time_original = models.BooleanField(_("answered in time (original due date)"), null=True, blank=True)
    closed_in_time_original = models.BooleanField(_("closed in time (original due date)"), null=True, blank=True)

    # The tracking link of a sender who was not signed in (cases/tracking.py):
    # only the SHA-256 hash of its random token, written with the case's row
    # at registration; emptied when staff revoke the link and at disposal.
    tracking_token_hash = models.CharField(
        _("hash of the tracking link's token"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # Set while a question to the sender (komplettering) waits for their
    # reply: the case is then "waiting for the sender". The clock runs on.
    awaiting_sender_since = models.DateTimeField(_("waiting for the sender since"), null=True, blank=True)

    # Optimistic locking: every service that changes the case bumps it.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Full-text search document (number, description, place, answers) in the
    # kontakt_swedish configuration (cases/search.py), kept by the services on
    # PostgreSQL and indexed with GIN together with the unit and the case
    # officer (migration 0007). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="case_unit_status_due"),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
            models.Index(fields=["assignee", "status", "due_date"], name="case_assignee_status_due"),
            models.Index(fields=["received_date"], name="case_received_date"),
            models.Index(fields=["-received_at"], name="case_received_at_desc"),
            models.Index(fields=["citizen", "-received_at"], name="case_citizen_received"),
            # Back-office lists at a million cases: all cases by due date, and
            # the open unassigned cases of given units.
            models.Index(fields=["due_date", "id"], name="case_due_id"),
            models.Index(fields=["unit", "received_date"], name="case_unit_received"),
            models.Index(
                fields=["unit", "due_date"],
                name="case_open_unassigned",
                condition=models.Q(assignee__isnull=True, status__in=["new", "in_progress", "answered"]),
            ),
            # The few open cases that wait for their sender's reply (the list's
            # "Väntar på avsändaren" filter), without walking every case.
            models.Index(
                fields=["unit", "due_date"],
                name="case_awaiting_sender",
                condition=models.Q(awaiting_sender_since__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="feedback") | models.Q(feedback_type=""),
                name="feedback_type_only_for_feedback",
            ),
        ]

    # The tracking link's token just made by case_register, in memory only
    # (never stored): the registering request shows it on the receipt page.
    tracking_token: str = ""

    def __str__(self):
        return self.number

    @property
    def is_awaiting_sender(self) -> bool:
        return self.awaiting_sender_since is not None and self.status != self.Status.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def subtype(self) -> str:
        """The case type (CaseType): praise, complaint, suggestion, question or fault_report."""
        return CaseType.of(self.kind, self.feedback_type)

    def get_subtype_display(self) -> str:
        try:
            return str(CaseType(self.subtype).label)
        except ValueError:
            return self.get_kind_display()

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        # Django's own builds a dict of every choice on each call; a case
        # list calls it once per row.
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return str(self.status)


class ExcludedMatter(models.Model):
    """A kind of matter Kontakt does not handle (political matters, reports
    of incidents in health care and social services …). An officer closing a
    case as not handled here chooses one, and the sender is told its text in
    their language: why the case is not handled here and where to turn.
    `texts` holds the words per language code; a language without words
    shows the site's default language. Administrators and the process owner
    edit them in the admin."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("What staff see in the close form."))
    texts = models.JSONField(_("texts"), default=dict)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active kinds can be chosen when a case is closed.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kind of matter not handled here")
        verbose_name_plural = _("kinds of matter not handled here")

    def __str__(self):
        return self.name

    def text(self, language: str) -> str:
        """Why and where to turn, in `language`, or in the site's default
        language when it has no words in that one."""
        return str(self.texts.get(language) or self.texts.get(settings.LANGUAGE_CODE, ""))


class CaseType(models.TextChoices):
    """The five-way case type, the one vocabulary for it: the sender chooses
    one of these, lists filter and statistics count by it. A case stores it as
    (kind, feedback_type); the mapping lives here and nowhere else (the
    statistics' SQL is built from it). Query parameters name it `subtype`."""

    PRAISE = "praise", _("Praise")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    QUESTION = "question", _("Question")
    FAULT_REPORT = "fault_report", _("Fault report")

    @property
    def fields(self) -> tuple[str, str]:
        """(Case.kind, Case.feedback_type) of this type."""
        return _CASE_TYPE_FIELDS[self]

    @classmethod
    def of(cls, kind: str, feedback_type: str) -> str:
        return feedback_type if kind == Case.Kind.FEEDBACK and feedback_type else kind

    @classmethod
    def sql(cls, kind: str, feedback_type: str) -> str:
        """The type as an SQL expression over the two columns (trusted names)."""
        whens = " ".join(
            f"WHEN {kind} = '{k}' AND {feedback_type} = '{f}' THEN '{t.value}'"
            for t, (k, f) in _CASE_TYPE_FIELDS.items()
        )
        return f"CASE {whens} ELSE {kind} END"

    @classmethod
    def q(cls, value: str) -> models.Q:
        """The cases of this type, as a filter on the case table."""
        kind, feedback_type = cls(value).fields
        return models.Q(kind=kind, feedback_type=feedback_type)


_CASE_TYPE_FIELDS: dict[CaseType, tuple[str, str]] = {
    CaseType.PRAISE: (Case.Kind.FEEDBACK, Case.FeedbackType.PRAISE),
    CaseType.COMPLAINT: (Case.Kind.FEEDBACK, Case.FeedbackType.COMPLAINT),
    CaseType.SUGGESTION: (Case.Kind.FEEDBACK, Case.FeedbackType.SUGGESTION),
    CaseType.QUESTION: (Case.Kind.QUESTION, ""),
    CaseType.FAULT_REPORT: (Case.Kind.FAULT_REPORT, ""),
}


class Contact(models.Model):
    """The sender's contact details, kept apart from the case text so they can
    be purged without touching the record."""

    class Preferred(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        PHONE = "phone", _("Phone call")
        LETTER = "letter", _("Letter")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contact", verbose_name=_("case"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        blank=True,
        help_text=_("E.164, e.g. +46701234567. Text messages go only to a mobile number."),
    )
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    preferred = models.CharField(
        _("preferred way to be answered"), max_length=10, choices=Preferred.choices, blank=True
    )
    protected_identity = models.BooleanField(_("protected personal data"), default=False)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self):
        return self.name or self.email or self.phone

    @property
    def can_be_answered(self) -> bool:
        return bool(self.email or self.phone or self.address)


def attachment_path(instance, filename):
    # The stored name never carries the sender's file name.
    return f"attachments/{instance.case.received_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case"))
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    from_citizen = models.BooleanField(_("sent by the citizen"), default=True)
    # The note or answer a member of staff attached it to; empty for the
    # sender's own files.
    event = models.ForeignKey(
        "CaseEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("attached to"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Answer(models.Model):
    """An answer to the sender (återkoppling), with what was done."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS notice")
        PORTAL = "portal", _("E-service (Mina sidor)")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers", verbose_name=_("case"))
    text = models.TextField(_("answer"))
    channel = models.CharField(_("answer channel"), max_length=20, choices=Channel.choices)
    actions_taken = models.TextField(_("what was done"), blank=True)
    improvement = models.TextField(_("suggested improvement"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("answered by")
    )
    created_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.case_id}: {self.get_channel_display()}"


class CaseEvent(models.Model):
    """One entry on a case's timeline. Appended, never edited."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Routed")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Internal note")
        ANSWERED = "answered", _("Answered")
        STATUS_CHANGED = "status_changed", _("Status changed")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        CITIZEN_MESSAGE = "citizen_message", _("Message from the sender")
        NOTIFICATION = "notification", _("Notification")
        DEADLINE_CHANGED = "deadline_changed", _("Due date changed")
        DEADLINE_FLAG = "deadline_flag", _("Deadline flag")
        CONTACT_CHANGED = "contact_changed", _("Contact details changed")
        SECRECY_MARKED = "secrecy_marked", _("Marked as secret")
        PROTECTED_IDENTITY = "protected_identity", _("Marked as secret: protected personal data")
        SECRECY_REMOVED = "secrecy_removed", _("Secrecy mark removed")
        ACCESS_GRANTED = "access_granted", _("Right to read given")
        ACCESS_REVOKED = "access_revoked", _("Right to read withdrawn")
        RELEASED = "released", _("Copy released")
        REFUSED = "refused", _("Copy refused")
        DISPOSED = "disposed", _("Personal data disposed of")
        DEADLINE_EXTENDED = "deadline_extended", _("Due date extended")
        SURVEY_ANSWERED = "survey_answered", _("Satisfaction survey answered")
        IMPROVEMENT_LINKED = "improvement_linked", _("Linked to an improvement")
        INFO_REQUESTED = "info_requested", _("Question to the sender")
        INFO_PROVIDED = "info_provided", _("Reply from the sender")
        TRACKING_REVOKED = "tracking_revoked", _("Tracking link revoked")
        TRACKING_RENEWED = "tracking_renewed", _("New tracking link sent")

    # The kinds a citizen sees on Mina sidor; everything else is internal.
    CITIZEN_KINDS = (
        Kind.REGISTERED,
        Kind.STATUS_CHANGED,
        Kind.ANSWERED,
        Kind.CLOSED,
        Kind.REOPENED,
        Kind.CITIZEN_MESSAGE,
        Kind.SURVEY_ANSWERED,
        Kind.INFO_REQUESTED,
        Kind.INFO_PROVIDED,
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), db_index=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["case", "created_at"], name="event_case_created")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_for_citizen(self) -> bool:
        return self.kind in self.CITIZEN_KINDS


class AnswerTemplate(models.Model):
    """A svarsmall: a text a case officer starts an answer from. Without a
    category it is offered for every case."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answer_templates",
        verbose_name=_("subject area"),
        help_text=_("Empty means every subject area."),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self):
        return self.title


# ------------------------------------------------------------------ secrecy
# Who may read a case is part of the domain (cases.permissions): a case or an
# attachment with an active secrecy mark is read only by the handling unit
# and those given the right explicitly. Changes go through cases/secrecy.py.
# The tables keep the names they had when these lived in the records app.


class SecrecyProvision(models.Model):
    """A provision of the Public Access to Information and Secrecy Act (OSL)
    that a case or attachment can be marked under."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("A short stable key, e.g. OSL 21:3."))
    reference = models.CharField(
        _("provision"), max_length=100, help_text=_("As written in decisions, e.g. 21 kap. 3 § OSL.")
    )
    label = models.CharField(_("plain description"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "records_secrecyprovision"
        ordering = ["position", "reference"]
        verbose_name = _("secrecy provision")
        verbose_name_plural = _("secrecy provisions")

    def __str__(self):
        return f"{self.reference} – {self.label}"


class SecrecyMarkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class SecrecyMark(models.Model):
    """A sekretessmarkering on a whole case (attachment empty) or on one of
    its attachments. Removing it keeps the row, with who and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="secrecy_marks", verbose_name=_("case"))
    attachment = models.ForeignKey(
        Attachment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="secrecy_marks",
        verbose_name=_("attachment"),
    )
    provision = models.ForeignKey(
        SecrecyProvision, on_delete=models.PROTECT, related_name="+", verbose_name=_("provision")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked"))
    review_on = models.DateField(_("review on"), null=True, blank=True)
    automatic = models.BooleanField(_("marked automatically"), default=False)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    objects = SecrecyMarkQuerySet.as_manager()

    class Meta:
        db_table = "records_secrecymark"
        ordering = ["marked_at", "id"]
        verbose_name = _("secrecy mark")
        verbose_name_plural = _("secrecy marks")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(attachment__isnull=True, removed_at__isnull=True),
                name="one_active_case_mark",
            ),
            models.UniqueConstraint(
                fields=["attachment"],
                condition=models.Q(attachment__isnull=False, removed_at__isnull=True),
                name="one_active_attachment_mark",
            ),
        ]
        indexes = [models.Index(fields=["case", "removed_at"], name="mark_case_active")]

    def __str__(self):
        return f"{self.case_id} {self.provision.reference}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class AccessGrant(models.Model):
    """The explicit right of one member of staff to read a marked case,
    given by a unit head of the handling unit or an administrator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("given to")
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("given by")
    )
    granted_at = models.DateTimeField(_("given"))
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        db_table = "records_accessgrant"
        ordering = ["granted_at", "id"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(revoked_at__isnull=True), name="one_active_grant"
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="grant_user_active")]

    def __str__(self):
        return f"{self.case_id} → {self.user_id}"


# ----------------------------------------------------------- public texts
# The words the process owner edits (cases/texts.py): the portal's start
# page blocks, the receipt text of each case type, the staff guide, and
# service messages. A text without a row in a language shows the shipped
# default (cases.texts.DEFAULTS) in that language.


class PublicText(models.Model):
    class Key(models.TextChoices):
        START_HANDLED = "start_handled", _("Start page: what we handle")
        START_NOT_HANDLED = "start_not_handled", _("Start page: what we do not handle and where to turn")
        START_RESPONSE_TIME = "start_response_time", _("Start page: when you will hear from us")
        START_PUBLIC_RECORD = "start_public_record", _("Start page: what happens to what you send")
        RECEIPT_PRAISE = "receipt_praise", _("Receipt page: praise")
        RECEIPT_COMPLAINT = "receipt_complaint", _("Receipt page: complaint")
        RECEIPT_SUGGESTION = "receipt_suggestion", _("Receipt page: suggestion")
        RECEIPT_QUESTION = "receipt_question", _("Receipt page: question")
        RECEIPT_FAULT_REPORT = "receipt_fault_report", _("Receipt page: fault report")
        STAFF_GUIDE = "staff_guide", _("Staff guide")

    key = models.CharField(_("text"), max_length=40, choices=Key.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["key", "language"]
        verbose_name = _("public text")
        verbose_name_plural = _("public texts")
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="unique_public_text")]

    def __str__(self):
        return f"{self.get_key_display()} ({self.language})"


class ServiceMessage(models.Model):
    """A driftmeddelande shown at the top of every portal page between its
    start and its end, e.g. "Storm damage: we know about the fallen trees".
    `texts` holds the words per language code; a language without words
    shows the site's default language."""

    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"))
    texts = models.JSONField(_("texts"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("service message")
        verbose_name_plural = _("service messages")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="service_message_ends")
        ]
        indexes = [models.Index(fields=["ends_at"], name="service_message_ends_at")]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"

    @property
    def default_text(self) -> str:
        """The words in the site's default language (always written)."""
        return str(self.texts.get(settings.LANGUAGE_CODE, ""))


# ------------------------------------------------------- satisfaction survey
# Changes go through cases/surveys.py.


class SatisfactionSurvey(models.Model):
    """The question after a case closed as answered: how satisfied the
    sender is (1–5) and whether they got an answer to what they asked. One
    per case. The link in the closing notice carries a random token of
    which only the SHA-256 hash is stored here (empty when the sender is
    asked on Mina sidor only). The sender's comment is not stored here but
    on the case's timeline (a public record, under the case's secrecy)."""

    class GotAnswer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="survey", verbose_name=_("case"))
    token_hash = models.CharField(_("hash of the link's token"), max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("asked"))
    expires_at = models.DateTimeField(_("open until"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    got_answer = models.CharField(_("got an answer"), max_length=10, choices=GotAnswer.choices, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="survey_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


# ------------------------------------------------------------ improvements
# "Du sa – vi gjorde": improvements the answers suggested, followed up and,
# when done, published. Changes go through cases/improvements.py.


class Improvement(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("For staff: what should change and why."))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="improvements", verbose_name=_("owning unit"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    cases = models.ManyToManyField(
        Case, through="ImprovementCase", related_name="improvements", verbose_name=_("cases that asked for it")
    )
    public_text = models.TextField(
        _("public text"),
        blank=True,
        help_text=_("Shown on the public page when published. No names or other personal data."),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        indexes = [models.Index(fields=["status", "unit"], name="improvement_status_unit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(status="done"),
                name="improvement_published_only_when_done",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ImprovementCase(models.Model):
    """A case that asked for an improvement, and the answer whose suggested
    improvement it came from (if any)."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.CASCADE, related_name="links", verbose_name=_("improvement")
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="improvement_links", verbose_name=_("case"))
    answer = models.ForeignKey(
        Answer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_links",
        verbose_name=_("answer"),
    )
    linked_at = models.DateTimeField(_("linked"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("linked by")
    )

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("case of an improvement")
        verbose_name_plural = _("cases of improvements")
        constraints = [
            models.UniqueConstraint(fields=["improvement", "case"], name="unique_improvement_case"),
        ]

    def __str__(self):
        return f"{self.improvement_id} ← {self.case_id}"
