"""Staff sign-in forms: allauth's, with the accessible error pattern
(aria-invalid, errors and hints tied with aria-describedby, Bootstrap classes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

if TYPE_CHECKING:
    # The mixin is only ever mixed into a Django form; the type checker sees it as one.
    _FormBase = forms.Form
else:
    _FormBase = object


class AccessibleFormMixin(_FormBase):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.HiddenInput, forms.CheckboxSelectMultiple)):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs.pop("placeholder", None)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                described = [f"{field_id}-error"] + ([f"{field_id}-hint"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})


class StaffLoginForm(AccessibleFormMixin, LoginForm):
    pass


class StaffAuthenticateForm(AccessibleFormMixin, AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class StaffActivateTOTPForm(AccessibleFormMixin, ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
