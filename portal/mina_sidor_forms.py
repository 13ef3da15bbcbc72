"""Forms of Mina sidor. Messages say what to do; errors are tied to their
fields for screen readers (aria-invalid, aria-describedby)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import CitizenIdentity
from cases.validators import normalize_phone, upload_content_type


class AccessibleForm(forms.Form):
    """Ties hints and errors to their inputs."""

    hints: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        for name, field in self.fields.items():
            ids = [f"{name}-hint"] if name in self.hints else []
            if self.is_bound and hasattr(self, "_errors") and self._errors and name in self._errors:
                ids.append(f"{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class MessageForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        error_messages={"required": _("Write your message.")},
    )
    attachment = forms.FileField(
        label=_("Photo or PDF (optional)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "image/jpeg,image/png,image/heic,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args, **kwargs):
        max_chars = settings.KONTAKT_DESCRIPTION_MAX_CHARS
        max_size = filesizeformat(settings.KONTAKT_MAX_ATTACHMENT_MB * 1024 * 1024)
        self.hints = {
            "text": _("At most %(max)s characters.") % {"max": max_chars},
            "attachment": _("You can attach one JPG, PNG, HEIC, WEBP or PDF file of at most %(max)s.")
            % {"max": max_size},
        }
        super().__init__(*args, **kwargs)
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
        self.attachment_content_type = upload_content_type(upload)
        return upload


class ContactForm(AccessibleForm):
    notify_by = forms.ChoiceField(
        label=_("How do you want to hear from us?"),
        choices=CitizenIdentity.NotifyBy.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose how you want to hear from us.")},
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address in the right format, like name@example.se.")},
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "tel", "inputmode": "tel", "type": "tel"}
        ),
    )
    hints = {
        "email": _("Needed if you want e-mail."),
        "phone": _("Needed if you want SMS. For example 070 123 45 67."),
    }

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
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
