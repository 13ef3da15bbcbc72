from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import AccessibleForm
from core.validators import normalize_phone
from notifications.models import Channel


class _RetryForm(AccessibleForm):
    """The address to send a failed message to, corrected if need be. The
    field is declared per channel, so that its hint and error are tied to the
    input (aria-describedby, aria-invalid) like every other form."""

    channel = ""


class EmailRetryForm(_RetryForm):
    channel = Channel.EMAIL
    recipient = forms.CharField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("Correct the address if it was wrong, for example namn@exempel.se."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the e-mail address to send the message to.")},
    )

    def clean_recipient(self):
        value = self.cleaned_data["recipient"].strip()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("Enter an e-mail address in the right format, for example namn@exempel.se."), code="invalid"
            )
        return value


class SmsRetryForm(_RetryForm):
    channel = Channel.SMS
    recipient = forms.CharField(
        label=gettext_lazy("Mobile number"),
        max_length=254,
        help_text=gettext_lazy("Correct the number if it was wrong, for example 070 123 45 67."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter the mobile number to send the message to.")},
    )

    def clean_recipient(self):
        return normalize_phone(self.cleaned_data["recipient"])


def retry_form_for(*args, channel: str, **kwargs):
    """The retry form for a message's channel."""
    return (EmailRetryForm if channel == Channel.EMAIL else SmsRetryForm)(*args, **kwargs)
