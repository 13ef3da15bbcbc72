"""The public intake forms. They validate everything a citizen sends; the
view then calls cases.services.case_register with what `case_data()` gives.

Messages follow docs/accessibility.md: they say what to do, in plain words. The
forms are the kernel's accessible forms (core/forms.py): its crispy field
template puts each error between the label and the input; Django ties hint
and error to the input with aria-describedby and sets aria-invalid. The
fields a case shares with staff registration come from cases/fields.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from crispy_forms.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.fields import (
    AttachmentsField,
    DescriptionField,
    EmailAddressField,
    MobileNumberField,
    NameField,
    PlaceField,
)
from cases.fields import attachments_hint as _attachments_hint
from cases.models import Case, CaseType
from cases.services import ContactData
from core.forms import AccessibleForm, LabelledModelChoiceField
from portal import selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class IntakeKind:
    """One of the five things a citizen can send (cases.models.CaseType), as
    the portal names and explains it."""

    slug: str  # in the URL, Swedish
    type: CaseType
    hint: StrOrPromise
    heading: StrOrPromise
    description_label: StrOrPromise

    @property
    def kind(self) -> str:
        return self.type.fields[0]

    @property
    def feedback_type(self) -> str:
        return self.type.fields[1]

    @property
    def label(self) -> StrOrPromise:
        return self.type.label


KINDS: dict[str, IntakeKind] = {
    k.slug: k
    for k in (
        IntakeKind(
            "berom",
            CaseType.PRAISE,
            _("Tell us about something that works well."),
            _("Give praise"),
            _("What do you want to praise?"),
        ),
        IntakeKind(
            "klagomal",
            CaseType.COMPLAINT,
            _("Tell us about something you are not happy with."),
            _("Make a complaint"),
            _("What are you not happy with?"),
        ),
        IntakeKind(
            "forslag",
            CaseType.SUGGESTION,
            _("Tell us how we can do something better."),
            _("Make a suggestion"),
            _("What is your suggestion?"),
        ),
        IntakeKind(
            "fraga",
            CaseType.QUESTION,
            _("Ask about the municipality's services."),
            _("Ask a question"),
            _("What do you want to ask?"),
        ),
        IntakeKind(
            "felanmalan",
            CaseType.FAULT_REPORT,
            _(
                "Report something that is broken, dirty or dangerous outdoors, such as a street lamp, a pothole or graffiti."
            ),
            _("Report a fault"),
            _("Describe the fault"),
        ),
    )
}


class KindForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[(k.slug, k.label) for k in KINDS.values()],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you want to do."),
            "invalid_choice": _("Choose what you want to do."),
        },
    )

    option_hints = {"kind": {k.slug: k.hint for k in KINDS.values()}}
    heading_field = "kind"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("kind")


def _description_hint() -> str:
    return gettext(
        "Write as clearly as you can. Do not write sensitive details, for example about health, unless "
        "they are needed. You can write up to %(max)s characters."
    ) % {"max": number_format(settings.KONTAKT_DESCRIPTION_MAX_CHARS, force_grouping=True)}


def _bound(value: float) -> str:
    return number_format(Decimal(f"{value:g}"))


def _coordinate(value: str | None, *, name: str, example: str) -> Decimal | None:
    value = (value or "").strip().replace(" ", "").replace(",", ".").replace("\u2212", "-")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            gettext("Write the %(name)s as a number, for example %(example)s.")
            % {"name": name, "example": number_format(Decimal(example), 4)},
            code="invalid",
        )
    return number.quantize(Decimal("0.000001"))


class IntakeForm(AccessibleForm):
    class Reply(models.TextChoices):
        EMAIL = "email", _("By e-mail")  # = Contact.Preferred.EMAIL
        SMS = "sms", _("By text message (SMS)")  # = Contact.Preferred.SMS
        ANONYMOUS = "anonymous", _("I want to stay anonymous")

    category = LabelledModelChoiceField(
        label=_("Subject area"),
        label_of=lambda c: c.localized_name(),
        queryset=selectors.categories_for_intake(),
        empty_label=_("Choose a subject area"),
        help_text=_("Choose the area that fits best. If you are unsure, choose the one closest."),
        error_messages={
            "required": _("Choose a subject area."),
            "invalid_choice": _("Choose a subject area from the list."),
        },
    )
    description = DescriptionField(
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        error_messages={"required": _("Describe your case.")},
    )
    place = PlaceField(
        label=_("Place"),
        help_text=_("An address or a description of the place, for example “the playground in the park on Storgatan”."),
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        help_text=_("For example 55,5520"),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "class": "input-coordinate"}
        ),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        help_text=_("For example 13,0210"),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "class": "input-coordinate"}
        ),
    )
    attachments = AttachmentsField(label=_("Photos or documents"), required=False)
    reply = forms.ChoiceField(
        label=_("How do you want us to answer?"),
        choices=Reply.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want us to answer, or that you want to stay anonymous."),
            "invalid_choice": _("Choose how you want us to answer, or that you want to stay anonymous."),
        },
    )
    name = NameField(
        label=_("Name"),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = EmailAddressField(
        label=_("E-mail address"),
        help_text=_("We send the receipt and the answer here if you choose e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = MobileNumberField(
        label=_("Mobile number"),
        help_text=_(
            "We send the receipt and a notice of the answer here if you choose text message. For example 070 123 45 67 or +46 70 123 45 67."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    protected_identity = forms.BooleanField(
        label=_("I have protected personal data"),
        required=False,
        help_text=_(
            "Tick this if you have a protected identity: a secrecy mark in the population register, "
            "protected registration or assumed personal data. We then mark your case as secret at once. "
            "Only those who handle it can read it, and our messages to you say only that there is news, "
            "which you read after signing in on Mina sidor."
        ),
    )
    # The honeypot: people never see it, nor do screen readers (the template
    # hides it with aria-hidden and tabindex=-1). Programs that fill every
    # field fill it; the view then shows a neutral page and registers nothing.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    checkbox_legends = {"protected_identity": _("Protected personal data")}

    def __init__(self, *args, intake_kind: IntakeKind, citizen=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.intake_kind = intake_kind
        self.citizen = citizen
        fields = self.fields
        description = fields["description"]
        description.label = intake_kind.description_label
        description.help_text = _description_hint()
        # The messages of the character counter (static/js/portal.js).
        description.widget.attrs.update(
            {
                "data-maxlength": settings.KONTAKT_DESCRIPTION_MAX_CHARS,
                "data-left-one": ngettext("You have %(count)s character left", "You have %(count)s characters left", 1),
                "data-left-many": ngettext(
                    "You have %(count)s character left", "You have %(count)s characters left", 2
                ),
                "data-over-one": ngettext(
                    "You have %(count)s character too many", "You have %(count)s characters too many", 1
                ),
                "data-over-many": ngettext(
                    "You have %(count)s character too many", "You have %(count)s characters too many", 2
                ),
            }
        )
        fields["attachments"].help_text = _attachments_hint()
        self.option_hints = {
            "reply": {
                self.Reply.ANONYMOUS: (
                    _(
                        "We save no contact details. You can follow the case on Mina sidor, but we cannot answer you by e-mail or text message."
                    )
                    if citizen
                    else _("We save no contact details, so we cannot answer you.")
                ),
            }
        }
        fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # E-mail and phone are needed only for the chosen way of answering,
        # so not "(optional)"; the coordinates' fieldset legend already says it.
        self.unmarked_optional = ("email", "phone", "latitude", "longitude")
        is_fault = intake_kind.kind == Case.Kind.FAULT_REPORT
        if not is_fault:
            for name in ("place", "latitude", "longitude"):
                del fields[name]

        place_parts = []
        if is_fault:
            place_parts = [
                "place",
                Fieldset(
                    _("Coordinates (optional)"),
                    HTML(
                        '<p class="form-text" id="coordinates-hint">{}</p>'.format(
                            _(
                                "If you know the exact position, for example from a map app, write it in decimal degrees."
                            )
                        )
                    ),
                    Field("latitude", wrapper_class="coordinate"),
                    Field("longitude", wrapper_class="coordinate"),
                    css_class="coordinates",
                    aria_describedby="coordinates-hint",
                ),
            ]
        self.helper.layout = Layout(
            "category",
            "description",
            *place_parts,
            "attachments",
            "reply",
            Fieldset(
                _("Your contact details"),
                HTML(
                    '<p class="form-text" id="contact-hint">{}</p>'.format(
                        _("Fill in only if you want an answer. Leave empty if you want to stay anonymous.")
                    )
                ),
                "name",
                "email",
                "phone",
                css_class="contact-details",
                aria_describedby="contact-hint",
            ),
            "protected_identity",
        )

    def clean_latitude(self):
        value = _coordinate(self.cleaned_data.get("latitude"), name=gettext("latitude"), example="55.5520")
        south, _west, north, _east = settings.KONTAKT_COORDINATE_BOUNDS
        if value is not None and not (Decimal(str(south)) <= value <= Decimal(str(north))):
            raise ValidationError(
                gettext(
                    "The latitude must be between %(low)s and %(high)s. Check that you have not swapped latitude and longitude."
                )
                % {"low": _bound(south), "high": _bound(north)},
                code="out_of_range",
            )
        return value

    def clean_longitude(self):
        value = _coordinate(self.cleaned_data.get("longitude"), name=gettext("longitude"), example="13.0210")
        _south, west, _north, east = settings.KONTAKT_COORDINATE_BOUNDS
        if value is not None and not (Decimal(str(west)) <= value <= Decimal(str(east))):
            raise ValidationError(
                gettext(
                    "The longitude must be between %(low)s and %(high)s. Check that you have not swapped latitude and longitude."
                )
                % {"low": _bound(west), "high": _bound(east)},
                code="out_of_range",
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "latitude" in self.fields and not self.has_error("latitude") and not self.has_error("longitude"):
            lat, lon = data.get("latitude"), data.get("longitude")
            if lat is None and lon is not None:
                self.add_error("latitude", gettext("Write the latitude too, or leave both coordinates empty."))
            elif lon is None and lat is not None:
                self.add_error("longitude", gettext("Write the longitude too, or leave both coordinates empty."))
        reply = data.get("reply")
        if reply == self.Reply.ANONYMOUS:
            # Anonymous means nothing is kept: what was typed in the contact
            # fields is dropped, and so are its errors.
            for name in ("name", "email", "phone"):
                self.errors.pop(name, None)
                data[name] = ""
        if reply == self.Reply.EMAIL and not data.get("email") and not self.has_error("email"):
            self.add_error("email", gettext("Enter your e-mail address, so that we can answer you by e-mail."))
        if reply == self.Reply.SMS and not data.get("phone") and not self.has_error("phone"):
            self.add_error("phone", gettext("Enter your mobile number, so that we can answer you by text message."))
        return data

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data["reply"] == self.Reply.ANONYMOUS

    def honeypot_filled(self) -> bool:
        return bool((self.data.get(self.add_prefix("website")) or "").strip())

    def case_data(self) -> dict:
        """Keyword arguments for cases.services.case_register."""
        data = self.cleaned_data
        contact = None
        if not self.is_anonymous:
            # Both addresses are kept when given; the choice says which to use.
            contact = ContactData(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                preferred=data["reply"],
                protected_identity=data.get("protected_identity", False),
            )
        elif data.get("protected_identity"):
            # No contact details are kept, but the case is still marked as secret.
            contact = ContactData(protected_identity=True)
        return {
            "kind": self.intake_kind.kind,
            "feedback_type": self.intake_kind.feedback_type,
            "category": data["category"],
            "description": data["description"],
            "place": data.get("place", ""),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "attachments": data["attachments"],
            "contact": contact,
        }

    def mark_files_lost(self, files) -> None:
        """Files cannot be kept across a failed submission; say so."""
        if any(files.getlist(self.add_prefix("attachments"))):
            self.files_lost_fields = ("attachments",)
