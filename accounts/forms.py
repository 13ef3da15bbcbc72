"""Staff sign-in forms: allauth's, on the kernel's accessible form pattern
(core/forms.py)."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

from accounts import throttle
from core.forms import AccessibleFormMixin


class StaffLoginForm(AccessibleFormMixin, LoginForm):
    pass


class StaffAuthenticateForm(AccessibleFormMixin, AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})

    def clean_code(self) -> str:
        # A wrong code counts against the account like a wrong password.
        if throttle.account_locked(self.user.email):
            raise get_account_adapter().validation_error("too_many_login_attempts")
        try:
            return super().clean_code()
        except forms.ValidationError:
            throttle.account_failure_record(self.user.email)
            raise


class StaffActivateTOTPForm(AccessibleFormMixin, ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
