"""Staff sign-in forms: allauth's, on the kernel's accessible form pattern
(core/forms.py)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import LoginForm, ReauthenticateForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as MFAReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms

from accounts import throttle
from core.forms import AccessibleFormMixin


def _code_field(form: Any) -> None:
    form.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class StaffLoginForm(AccessibleFormMixin, LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page has its own "Forgot your password?" link under the form;
        # allauth's help text under the field would say it a second time.
        self.fields["password"].help_text = ""


class StaffReauthenticateForm(AccessibleFormMixin, ReauthenticateForm):
    pass


class StaffAuthenticateForm(AccessibleFormMixin, AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self)

    def clean_code(self) -> str:
        # A wrong code counts against the account like a wrong password.
        if throttle.account_locked(self.user.email):
            raise get_account_adapter().validation_error("too_many_login_attempts")
        try:
            return super().clean_code()
        except forms.ValidationError:
            throttle.account_failure_record(self.user.email)
            raise


class StaffMFAReauthenticateForm(AccessibleFormMixin, MFAReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self)


class StaffActivateTOTPForm(AccessibleFormMixin, ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self)
