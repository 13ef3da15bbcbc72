"""The right-of-access search: one or more of a person's identifiers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

from accounts.citizen.numbers import number_hash
from core.forms import AccessibleForm
from core.validators import normalize_phone


class PersonSearchForm(AccessibleForm):
    number = forms.CharField(
        label=_("Personal identity number or coordination number"),
        required=False,
        max_length=20,
        help_text=_("12 digits, for example 19121212-1212."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address in the right format, like name@example.se.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("A mobile number or a landline, for example 070 123 45 67 or 040-625 60 00."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "type": "tel"}),
    )

    def clean_number(self) -> str:
        value = self.cleaned_data["number"].strip()
        if not value:
            return ""
        try:
            parsed = personnummer.parse(value)
        except personnummer.PersonnummerException:
            raise ValidationError(
                _("Enter a personal identity number or coordination number with 12 digits, like 19121212-1212."),
                code="invalid_number",
            )
        # The hash is of the 12 digits, as at sign-in (accounts.citizen.numbers).
        return number_hash(parsed.format(True))

    def clean_phone(self) -> str:
        # Staff may have noted a landline for a callback: it is searched too.
        return normalize_phone(self.cleaned_data["phone"], mobile_only=False)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not any(data.get(name) for name in ("number", "email", "phone")):
            raise ValidationError(
                _("Enter at least one of personal identity number, e-mail address and phone number."),
                code="empty",
            )
        return data
