"""Forms of the records pages: plain Swedish messages next to the field."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import AccessibleForm
from records.selectors import active_provisions

CASE_TARGET = "case"


class ProvisionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} – {obj.label}"


def _provision_field():
    return ProvisionField(
        label=_("Provision"),
        queryset=active_provisions(),
        empty_label=_("Choose a provision"),
        help_text=_("The section of the Public Access to Information and Secrecy Act (OSL) that applies."),
        error_messages={
            "required": _("Choose the provision that applies."),
            "invalid_choice": _("Choose a provision from the list."),
        },
    )


class MarkForm(AccessibleForm):
    target = forms.ChoiceField(
        label=_("What is secret?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the whole case or one attachment."),
            "invalid_choice": _("Choose the whole case or one attachment."),
        },
    )
    provision = _provision_field()
    review_on = forms.DateField(
        label=_("Review the mark on"),
        required=False,
        help_text=_("A date to consider again whether secrecy still applies, for example 2027-01-15."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2027-01-15.")},
    )

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = targets
        if len(targets) == 1:
            self.fields["target"].initial = targets[0][0]

    def clean_review_on(self):
        value = self.cleaned_data.get("review_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today, or leave the field empty."))
        return value


class UnmarkForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why does secrecy no longer apply?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why the mark is removed.")},
    )


class GrantForm(AccessibleForm):
    email = forms.EmailField(
        label=_("E-mail address of the colleague"),
        help_text=_("The colleague must have a staff account in Kontakt."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the colleague's e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@burlov.se."),
        },
    )
    reason = forms.CharField(
        label=_("Why do they need to read the case?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why the colleague needs to read the case.")},
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, kind=User.Kind.STAFF, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no member of staff with that e-mail address. Check the spelling."))
        self.user = user
        return email


class ReleaseForm(AccessibleForm):
    recipient = forms.CharField(
        label=_("To whom is the copy given?"),
        required=False,
        max_length=200,
        help_text=_(
            "Anyone may ask for a public record without saying who they are. Leave empty if the requester stays anonymous."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    redact = forms.MultipleChoiceField(label=_("Parts to redact"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["redact"]).choices = [(p.key, p.label) for p in parts]
        self.fields["redact"].initial = [p.key for p in parts if p.secret]
        self.parts = parts


class RefusalForm(AccessibleForm):
    provision = _provision_field()
    requester = forms.CharField(
        label=_("Who asked?"),
        required=False,
        max_length=200,
        help_text=_("Leave empty if the requester stays anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester can ask for a written decision that can be appealed."),
        error_messages={"required": _("Write why the copy is refused.")},
    )

    field_order = ["requester", "provision", "reason"]
