"""Staff sign-in forms: allauth's, on the kernel's accessible form pattern
(core/forms.py)."""

from __future__ import annotations

from allauth.account.forms import LoginForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm

from core.forms import AccessibleFormMixin


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
