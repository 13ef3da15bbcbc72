from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _, gettext_lazy

from cases.validators import normalize_phone
from notifications.models import Channel


class RetryForm(forms.Form):
    """The address to send a failed message to, corrected if need be."""

    recipient = forms.CharField(max_length=254)

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        field = self.fields["recipient"]
        field.error_messages["required"] = (
            _("Enter the e-mail address to send the message to.") if channel == Channel.EMAIL
            else _("Enter the mobile number to send the message to.")
        )
        if channel == Channel.EMAIL:
            field.label = gettext_lazy("E-mail address")
            field.help_text = gettext_lazy("Correct the address if it was wrong, for example namn@exempel.se.")
            field.widget = forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        else:
            field.label = gettext_lazy("Mobile number")
            field.help_text = gettext_lazy("Correct the number if it was wrong, for example 070 123 45 67.")
            field.widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        field.widget.attrs["class"] = "form-control"

    def clean_recipient(self):
        value = self.cleaned_data["recipient"].strip()
        if self.channel == Channel.EMAIL:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("Enter an e-mail address in the right format, for example namn@exempel.se."), code="invalid"
                )
            return value
        return normalize_phone(value)
