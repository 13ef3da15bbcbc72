"""Back-office forms, on the kernel's accessible form base (core/forms.py).
They validate what staff type and give plain Swedish messages next to the
field; views pass the cleaned data to one service. Registration shares its
fields with the public intake form (cases/fields.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import deadlines, selectors
from cases.fields import (
    AttachmentsField,
    DescriptionField,
    EmailAddressField,
    NameField,
    PhoneNumberField,
    PlaceField,
    attachments_hint,
)
from cases.models import (
    Answer,
    Case,
    CaseType,
    Category,
    Contact,
    Department,
    ExcludedMatter,
    Improvement,
    PublicText,
    ServiceMessage,
    Unit,
)
from cases.organisation import organisation_choices
from cases.permissions import cases_visible_to
from core.forms import AccessibleForm, LabelledModelChoiceField
from core.validators import is_mobile, normalize_phone
from notifications.choices import Channel


class VersionedForm(AccessibleForm):
    """Carries the case version the officer read (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# ------------------------------------------------------------------ list


class CaseFilterForm(AccessibleForm):
    """The GET parameters of the case list (scheme shared with statistics)."""

    # Every filter is optional; saying so on each would only be noise.
    mark_optional = False

    queue = forms.ChoiceField(
        required=False,
        choices=[("", "")]
        + [
            (q, q)
            for q in (
                selectors.Queue.MINE,
                selectors.Queue.UNITS,
                selectors.Queue.UNASSIGNED,
                selectors.Queue.NEAR,
                selectors.Queue.OVERDUE,
                selectors.Queue.NEW,
                selectors.Queue.OPEN,
            )
        ],
        widget=forms.HiddenInput,
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Case number or words in the text or the answers."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Case.Status.choices, (selectors.AWAITING_SENDER, _("Waiting for the sender"))],
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All"))] + Case.Kind.choices)
    subtype = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), *CaseType.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Subject area"), required=False, queryset=Category.objects.all(), empty_label=_("All")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all(), empty_label=_("All")
    )
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.all(), empty_label=_("All"))
    channel = forms.ChoiceField(
        label=_("Channel of receipt"), required=False, choices=[("", _("All"))] + Case.Channel.choices
    )
    resolution = forms.ChoiceField(
        label=_("Resolution"), required=False, choices=[("", _("All"))] + Case.Resolution.choices
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        help_text=_("For example 2026-03-01"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-01.")},
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        help_text=_("For example 2026-03-31"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Default")),
            ("due", _("Due date, earliest first")),
            ("-due", _("Due date, latest first")),
            ("received", _("Received, oldest first")),
            ("-received", _("Received, newest first")),
        ],
    )

    # Under "More filters": all but the search words, the order and the queue.
    MORE_FILTERS = (
        "status",
        "kind",
        "subtype",
        "category",
        "department",
        "unit",
        "channel",
        "resolution",
        "received_from",
        "received_to",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The options come ready from the cache (cases/organisation.py); a
        # chosen value is still checked against the queryset.
        choices = organisation_choices()
        _offer(cast(forms.ModelChoiceField, self.fields["category"]), choices["categories"])
        _offer(cast(forms.ModelChoiceField, self.fields["department"]), choices["departments"])
        _offer(cast(forms.ModelChoiceField, self.fields["unit"]), choices["units"])

    @cached_property
    def more_filters_open(self) -> bool:
        """A filter under "More filters" is chosen, or something is wrong."""
        return bool(self.errors) or any(self[name].value() not in (None, "") for name in self.MORE_FILTERS)

    @property
    def more_filters(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MORE_FILTERS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end date must be the same as or after the start date."))
        return data


# ---------------------------------------------------------- registration

# The case types in the order staff meet them most often.
SUBTYPE_CHOICES = [
    (t.value, t.label)
    for t in (CaseType.QUESTION, CaseType.FAULT_REPORT, CaseType.COMPLAINT, CaseType.SUGGESTION, CaseType.PRAISE)
]
STAFF_CHANNELS = [c for c in Case.Channel.choices if c[0] != Case.Channel.WEB]


class RegisterForm(AccessibleForm):
    """A case received orally, by letter or another way, typed in by any
    employee: everything the public form asks, and when it came in, who
    passed it on, a landline to call back and a postal address."""

    channel = forms.ChoiceField(
        label=_("How did the case come in?"),
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the case came in.")},
    )
    received_date = forms.DateField(
        label=_("Date"),
        required=False,
        help_text=_("For example 2026-03-01"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date like 2026-03-01.")},
    )
    received_time = forms.TimeField(
        label=_("Time"),
        required=False,
        help_text=_("For example 09:30"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter the time like 09:30.")},
    )
    passed_on_by = forms.ChoiceField(
        label=_("Did someone pass the case on to you?"),
        choices=Case.PassedOnBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    passed_on_by_name = forms.CharField(
        label=_("Who passed it on?"),
        required=False,
        max_length=200,
        help_text=_("Name and role, for example “Anna Berg, municipal commissioner”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    subtype = forms.ChoiceField(
        label=_("What kind of case is it?"),
        choices=SUBTYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of case it is.")},
    )
    category = forms.ModelChoiceField(
        label=_("Subject area"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a subject area"),
        error_messages={"required": _("Choose a subject area.")},
    )
    description = DescriptionField(
        label=_("What is it about?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write what the person told you, in their words."),
        error_messages={"required": _("Write what the case is about.")},
    )
    place = PlaceField(label=_("Place"), help_text=_("An address or a place, if it matters."))
    attachments = AttachmentsField(label=_("Attachments, for example a scanned letter"))
    # Staff type someone else's details: the browser must not offer their own.
    name = NameField(label=_("Name"), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = EmailAddressField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    phone = PhoneNumberField(
        label=_("Phone number"),
        help_text=_(
            "A mobile number or a landline, for example 070 123 45 67 or 040-625 60 00. "
            "Text messages go only to a mobile number."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=300,
        help_text=_("For an answer by letter: street, postcode and town."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"max_length": _("The postal address can be at most %(limit_value)d characters.")},
    )
    preferred = forms.ChoiceField(
        label=_("How does the person want an answer?"),
        required=False,
        choices=[("", _("No preference"))] + Contact.Preferred.choices,
        widget=forms.RadioSelect,
    )
    protected_identity = forms.BooleanField(
        label=_("The sender has protected personal data (the case is marked as secret at once)"),
        required=False,
    )

    checkbox_legends = {"protected_identity": _("Protected personal data")}
    # Empty means "now", which the fieldset's hint says.
    unmarked_optional = ("received_date", "received_time")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_hint()
        self.fields["passed_on_by"].initial = Case.PassedOnBy.NOBODY
        self.fields["preferred"].initial = ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._clean_received(data)
        preferred = data.get("preferred")
        needs = {"email": "email", "sms": "phone", "phone": "phone", "letter": "address"}
        messages = {
            "email": _("Fill in the e-mail address, or choose another way to answer."),
            "sms": _("Fill in a mobile number, or choose another way to answer."),
            "phone": _("Fill in the phone number, or choose another way to answer."),
            "letter": _("Fill in the postal address, or choose another way to answer."),
        }
        if preferred and not data.get(needs[preferred]) and needs[preferred] not in self.errors:
            self.add_error(needs[preferred], messages[preferred])
        elif preferred == "sms" and data.get("phone") and not is_mobile(data["phone"]):
            self.add_error(
                "phone",
                _("Text messages can only go to a mobile number. Fill in a mobile number, or choose another way."),
            )
        if not data.get("passed_on_by"):
            data["passed_on_by_name"] = ""
        return data

    def _clean_received(self, data: dict[str, Any]) -> None:
        """received_at: the moment the case came in, now when not given. It
        is never later than now and at most a year back."""
        day, clock = data.get("received_date"), data.get("received_time")
        data["received_at"] = None
        if self.has_error("received_date") or self.has_error("received_time") or (day is None and clock is None):
            return
        now = timezone.localtime()
        if day is None:
            day = now.date()
        if clock is None:
            self.add_error("received_time", _("Enter about what time the case came in, for example 09:30."))
            return
        moment = timezone.make_aware(datetime.combine(day, clock), timezone.get_current_timezone())
        if moment > now + timedelta(minutes=1):
            field = "received_date" if day > now.date() else "received_time"
            self.add_error(field, _("The case cannot have come in later than now. Check the date and the time."))
        elif moment < now - timedelta(days=365):
            self.add_error("received_date", _("The date can be at most a year back. Check the year."))
        else:
            data["received_at"] = moment


# ----------------------------------------------------------------- actions


def _offer(field: forms.ModelChoiceField, choices: Sequence[tuple[Any, str]] | None) -> None:
    """Show these options (read already, cases.selectors.action_choices_for)
    instead of reading the queryset again; what is sent is still checked
    against the queryset."""
    if choices is not None:
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        field.choices = [*empty, *choices]


class RouteForm(VersionedForm):
    unit = forms.ModelChoiceField(
        label=_("New unit"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a unit"),
        error_messages={"required": _("Choose the unit that should handle the case.")},
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why the case goes to another unit.")},
    )

    def __init__(self, *args: Any, case: Case, choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = Unit.objects.filter(is_active=True).exclude(pk=case.unit_id).select_related("department")
        _offer(field, choices)


class AssignForm(VersionedForm):
    assignee = LabelledModelChoiceField(
        label=_("Case officer"),
        label_of=lambda u: u.display_name,
        queryset=None,
        empty_label=_("Choose a colleague"),
        error_messages={"required": _("Choose who should handle the case.")},
    )

    def __init__(self, *args: Any, case: Case, choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["assignee"])
        field.queryset = selectors.colleagues_for(case)
        _offer(field, choices)


class TakeForm(VersionedForm):
    """'Take the case': assign to oneself."""


class NoteForm(AccessibleForm):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see notes. The sender never does."),
        error_messages={"required": _("Write the note.")},
    )
    attachments = AttachmentsField(label=_("Files"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_hint()


class AnswerForm(VersionedForm):
    text = forms.CharField(
        label=_("Answer to the sender"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the answer.")},
    )
    channel = forms.ChoiceField(
        label=_("How was the answer given?"),
        choices=Answer.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the answer was given.")},
    )
    actions_taken = forms.CharField(
        label=_("What was done"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    improvement = forms.CharField(
        label=_("Suggested improvement for the service"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = AttachmentsField(
        label=_("Files that went with the answer"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_hint()


class CloseForm(VersionedForm):
    # Each is needed for one resolution only, which its hint says.
    unmarked_optional = ("transferred_to", "transfer_reference", "excluded_matter", "duplicate_number", "note")

    resolution = forms.ChoiceField(
        label=_("Why is the case closed?"),
        choices=Case.Resolution.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the case is closed.")},
    )
    transferred_to = forms.CharField(
        label=_("Other system or authority"),
        required=False,
        max_length=200,
        help_text=_("Only when the case was transferred, for example Försäkringskassan. The sender is told the name."),
    )
    transfer_reference = forms.CharField(
        label=_("Reference in the other system"),
        required=False,
        max_length=200,
        help_text=_("Only when the case was transferred."),
    )
    excluded_matter = forms.ModelChoiceField(
        label=_("Kind of matter not handled here"),
        queryset=ExcludedMatter.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose"),
        help_text=_("Only when the case is not handled here. The sender is told why and where to turn."),
        error_messages={"invalid_choice": _("Choose one of the kinds in the list.")},
    )
    duplicate_number = forms.CharField(
        label=_("Number of the case this one duplicates"),
        required=False,
        max_length=30,
        help_text=_("Only for a duplicate, for example KB-2026-00042."),
    )
    note = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Internal: the sender does not see it."),
    )

    def __init__(self, *args, user=None, excluded_matters: list[tuple[int, str]] | None = None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        _offer(cast(forms.ModelChoiceField, self.fields["excluded_matter"]), excluded_matters)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        R = Case.Resolution
        resolution = data.get("resolution")
        if resolution == R.TRANSFERRED:
            if not data.get("transferred_to", "").strip():
                self.add_error(
                    "transferred_to", _("Write the name of the system or authority the case was passed on to.")
                )
            if not data.get("transfer_reference", "").strip():
                self.add_error("transfer_reference", _("Write the case's reference in the other system."))
        if resolution == R.NOT_HANDLED and data.get("excluded_matter") is None and "excluded_matter" not in self.errors:
            self.add_error(
                "excluded_matter", _("Choose what kind of matter it is, so the sender is told where to turn.")
            )
        if resolution == R.DUPLICATE:
            number = data.get("duplicate_number", "").strip().upper()
            if not number:
                self.add_error("duplicate_number", _("Write the number of the case this one duplicates."))
            else:
                original = cases_visible_to(self.user).filter(number=number).first()
                if original is None:
                    self.add_error(
                        "duplicate_number",
                        _("There is no case %(number)s that you can see. Check the number.") % {"number": number},
                    )
                data["duplicate_of"] = original
        return data


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is the case reopened?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why the case is reopened.")},
    )


class RequestInfoForm(VersionedForm):
    """Ask the sender for more information (cases.services.case_request_info)."""

    question = forms.CharField(
        label=_("Your question to the sender"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The sender gets it by e-mail (with the question), by SMS (that there is a question) or on Mina sidor, "
            "and answers through their tracking link or Mina sidor. It is not the answer: the due date stays."
        ),
        error_messages={
            "required": _("Write the question."),
            "max_length": _("Write at most %(limit_value)d characters. You have written %(show_value)d."),
        },
    )


class TrackingForm(VersionedForm):
    """Revoke the tracking link, or send a new one."""


class ExtendForm(VersionedForm):
    """A unit head gives one case a later due date (cases.services.case_extend)."""

    due_date = forms.DateField(
        label=_("New due date"),
        help_text=_("A working day after the current due date, for example 2026-03-16."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Write the new due date."), "invalid": _("Enter a date like 2026-03-16.")},
    )
    reason = forms.CharField(
        label=_("Why does the case need more time?"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The sender is told this reason with the new date, so write it for them, for example: "
            "The person who can answer is away until 27 February."
        ),
        error_messages={"required": _("Write why the case needs more time.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_due_date(self) -> Any:
        value = self.cleaned_data["due_date"]
        if value <= self.case.due_date:
            raise ValidationError(
                _("Choose a date after the current due date, %(date)s.") % {"date": self.case.due_date.isoformat()}
            )
        if not deadlines.is_working_day(value):
            raise ValidationError(
                _("%(date)s is not a working day. Choose a weekday that is not a holiday or in a pause period.")
                % {"date": value.isoformat()}
            )
        return value


def with_version(data, version: int, prefix: str):
    """The submitted data with the case's current version, so that after a
    conflict the officer can send what they typed again, knowingly."""
    data = data.copy()
    data[f"{prefix}-version"] = str(version)
    return data


# ------------------------------------------------------- failed messages


class _RetryForm(AccessibleForm):
    """The address to send a failed message to, corrected if need be. The
    field is declared per channel, so that its hint and error are tied to the
    input (aria-describedby, aria-invalid) like every other form."""

    channel = ""


class EmailRetryForm(_RetryForm):
    channel = Channel.EMAIL
    recipient = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Correct the address if it was wrong, for example namn@exempel.se."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the e-mail address to send the message to.")},
    )

    def clean_recipient(self) -> str:
        value = self.cleaned_data["recipient"].strip()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                gettext("Enter an e-mail address in the right format, for example namn@exempel.se."), code="invalid"
            )
        return value


class SmsRetryForm(_RetryForm):
    channel = Channel.SMS
    recipient = forms.CharField(
        label=_("Mobile number"),
        max_length=254,
        help_text=_("Correct the number if it was wrong, for example 070 123 45 67."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"required": _("Enter the mobile number to send the message to.")},
    )

    def clean_recipient(self) -> str:
        return normalize_phone(self.cleaned_data["recipient"])


def retry_form_for(*args: object, channel: str, **kwargs: object) -> _RetryForm:
    """The retry form for a message's channel."""
    return (EmailRetryForm if channel == Channel.EMAIL else SmsRetryForm)(*args, **kwargs)


# ------------------------------------------------------- public texts

MARKUP_HINT = _(
    "Plain text. A blank line starts a new paragraph. Lines starting with “- ” make a bulleted list, "
    "“1. ” a numbered list. *Italics*, **bold** and links: [the words](https://www.example.se). "
    "Leave it empty to use the standard text."
)
GUIDE_MARKUP_HINT = _(
    "Plain text. “## ” starts a heading, “### ” a smaller one. A blank line starts a new paragraph. Lines "
    "starting with “- ” make a bulleted list, “1. ” a numbered list. *Italics*, **bold** and links: "
    "[the words](https://www.example.se). Leave it empty to use the standard text."
)


class PublicTextForm(AccessibleForm):
    """One text in every language of the site (cases.texts.text_versions)."""

    mark_optional = False

    def __init__(self, *args: Any, key: str, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guide = key == PublicText.Key.STAFF_GUIDE
        for version in versions:
            self.fields[f"text_{version.language}"] = forms.CharField(
                label=version.language_name,
                required=False,
                max_length=20000,
                strip=False,
                initial=version.current,
                help_text=GUIDE_MARKUP_HINT if guide else MARKUP_HINT,
                widget=forms.Textarea(attrs={"rows": 24 if guide else 8, "lang": version.language}),
                error_messages={"max_length": _("The text can be at most %(limit_value)d characters.")},
            )

    def body(self, language: str) -> str:
        return self.cleaned_data.get(f"text_{language}", "")

    def bodies(self) -> dict[str, str]:
        return {name.removeprefix("text_"): value for name, value in self.cleaned_data.items()}


class ServiceMessageForm(AccessibleForm):
    """A service message: when it shows and its words in every language
    (the site's default language required)."""

    starts_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2026-03-01"),
        error_messages={"required": _("Enter the first day."), "invalid": _("Enter the date like 2026-03-01.")},
    )
    starts_time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("For example 09:30"),
        error_messages={"required": _("Enter the time it starts."), "invalid": _("Enter the time like 09:30.")},
    )
    ends_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2026-03-01"),
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter the date like 2026-03-01.")},
    )
    ends_time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("For example 18:00"),
        error_messages={"required": _("Enter the time it ends."), "invalid": _("Enter the time like 18:00.")},
    )

    def __init__(self, *args: Any, message: ServiceMessage | None = None, **kwargs: Any) -> None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        if message is not None:
            starts, ends = timezone.localtime(message.starts_at), timezone.localtime(message.ends_at)
        else:
            starts, ends = now, now + timedelta(days=1)
        kwargs.setdefault(
            "initial",
            {
                "starts_date": starts.date(),
                "starts_time": starts.time(),
                "ends_date": ends.date(),
                "ends_time": ends.time(),
            },
        )
        super().__init__(*args, **kwargs)
        self.message = message
        for code, name in settings.LANGUAGES:
            required = code == settings.LANGUAGE_CODE
            self.fields[f"text_{code}"] = forms.CharField(
                label=name,
                required=required,
                max_length=1000,
                initial=(message.texts.get(code, "") if message else ""),
                help_text=_(
                    "Short and plain, for example “Storm damage: we know about the fallen trees and clear them "
                    "as fast as we can.” Links: [the words](https://www.example.se)."
                )
                if required
                else _("Leave it empty to show the text in Swedish."),
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                error_messages={
                    "required": _("Write the message."),
                    "max_length": _("The message can be at most %(limit_value)d characters."),
                },
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        if all(data.get(name) is not None for name in ("starts_date", "starts_time")):
            data["starts_at"] = timezone.make_aware(datetime.combine(data["starts_date"], data["starts_time"]), zone)
        if all(data.get(name) is not None for name in ("ends_date", "ends_time")):
            data["ends_at"] = timezone.make_aware(datetime.combine(data["ends_date"], data["ends_time"]), zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_date", _("The message must end after it starts."))
            elif ends <= timezone.now():
                self.add_error("ends_date", _("The end has passed. Choose a time later than now."))
        return data

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code, _name in settings.LANGUAGES}


# ------------------------------------------------------------ improvements


class ImprovementFilterForm(AccessibleForm):
    mark_optional = False

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, help_text=_("Words in the title or description.")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Improvement.Status.choices])
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all(), empty_label=_("All")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.select_related("department"), empty_label=_("All")
    )


class ImprovementForm(AccessibleForm):
    """A new item, or a change to one."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What should get better, in a few words, for example: Clearer signs at the recycling centre."),
        error_messages={"required": _("Write a title.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Owning unit"),
        queryset=Unit.objects.filter(is_active=True).select_related("department"),
        empty_label=_("Choose a unit"),
        help_text=_("The unit that follows the improvement up."),
        error_messages={"required": _("Choose the unit that owns the improvement.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For staff. Describe the improvement, not the person who suggested it: no names."),
    )


class ImprovementChangeForm(ImprovementForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Improvement.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status.")},
    )

    field_order = ["title", "unit", "status", "description"]


class ImprovementPublishForm(AccessibleForm):
    public_text = forms.CharField(
        label=_("Public text"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown on the public page “Du sa – vi gjorde”. Say what people suggested and what the municipality "
            "did, in plain words. No names, addresses or other personal data, and nothing from a single case."
        ),
        error_messages={"required": _("Write the public text.")},
    )


class ImprovementLinkForm(AccessibleForm):
    """Link another case that asked for the improvement, by its number."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=30,
        help_text=_("For example KB-2026-00042."),
        error_messages={"required": _("Write the case number.")},
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().upper()
        case = cases_visible_to(self.user).filter(number=number).first()
        if case is None:
            raise ValidationError(
                _("There is no case %(number)s that you can see. Check the number.") % {"number": number}
            )
        self.case = case
        return number


class ImprovementChooseForm(AccessibleForm):
    """Link an answer's case to an item that exists already."""

    improvement = LabelledModelChoiceField(
        label=_("Improvement"),
        label_of=lambda i: f"{i.title} ({i.unit.name}, {i.get_status_display().lower()})",
        queryset=Improvement.objects.select_related("unit").order_by("title"),
        empty_label=_("Choose an improvement"),
        error_messages={"required": _("Choose the improvement the case asks for.")},
    )
