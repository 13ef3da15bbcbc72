"""Forms of Mina sidor, on the kernel's accessible form base (core/forms.py).
Messages say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import CitizenIdentity
from cases.fields import EmailAddressField, MobileNumberField, NameField
from cases.models import Contact
from core.forms import AccessibleForm
from core.validators import upload_validate


class MessageForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your message.")},
    )
    attachment = forms.FileField(
        label=_("Photo or PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/webp,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        max_chars = settings.KONTAKT_DESCRIPTION_MAX_CHARS
        max_size = filesizeformat(settings.KONTAKT_MAX_ATTACHMENT_MB * 1024 * 1024)
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("At most %(max)s characters.") % {"max": max_chars}
        self.fields["attachment"].help_text = _(
            "You can attach one JPG, PNG, HEIC, WEBP or PDF file of at most %(max)s."
        ) % {"max": max_size}
        self.fields["text"].widget.attrs["maxlength"] = max_chars
        self.fields["text"].validators.append(
            MaxLengthValidator(
                max_chars, message=_("Your message is too long. Shorten it to at most %(limit_value)d characters.")
            )
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        self.attachment_content_type = upload_validate(upload)
        return upload


def contact_initial(*, name: str, identity: CitizenIdentity | None, latest: Contact | None) -> dict[str, str]:
    """What the settings form shows first: the citizen's own choice, or,
    when they never chose (no address and no number kept), the channel and
    addresses their latest case uses, instead of e-mail with an empty
    address."""
    if identity is not None and (identity.email or identity.phone or identity.notify_by != identity.NotifyBy.EMAIL):
        return {"notify_by": identity.notify_by, "name": name, "email": identity.email, "phone": identity.phone}
    if latest is None or not (latest.email or latest.phone):
        return {"notify_by": CitizenIdentity.NotifyBy.EMAIL, "name": name, "email": "", "phone": ""}
    by_sms = latest.phone and (latest.preferred == Contact.Preferred.SMS or not latest.email)
    return {
        "notify_by": CitizenIdentity.NotifyBy.SMS if by_sms else CitizenIdentity.NotifyBy.EMAIL,
        "name": name or latest.name,
        "email": latest.email,
        "phone": latest.phone,
    }


class ContactForm(AccessibleForm):
    notify_by = forms.ChoiceField(
        label=_("How do you want to hear from us?"),
        choices=CitizenIdentity.NotifyBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to hear from us.")},
    )
    name = NameField(label=_("Name"), widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = EmailAddressField(
        label=_("E-mail address"),
        help_text=_("Needed if you want e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = MobileNumberField(
        label=_("Mobile number"),
        help_text=_("Needed if you want SMS. For example 070 123 45 67."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    # Needed only for the chosen way of hearing from us, so not "(optional)".
    unmarked_optional = ("email", "phone")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        notify_by = data.get("notify_by")
        if notify_by == CitizenIdentity.NotifyBy.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                ValidationError(
                    _("Enter your e-mail address, or choose another way to hear from us."), code="required"
                ),
            )
        if notify_by == CitizenIdentity.NotifyBy.SMS and not data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                ValidationError(_("Enter your mobile number, or choose another way to hear from us."), code="required"),
            )
        return data
