from allauth.account.adapter import DefaultAccountAdapter

from core.mfa import has_totp


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by an administrator, never by sign-up."""

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the first authenticator comes straight after the
        # password sign-in, which the back office demands; asking for the
        # password again there only gets in the way. Removing or replacing
        # an existing authenticator still asks.
        if app == "allauth.mfa":
            user = getattr(getattr(self, "request", None), "user", None)
            if user is not None and user.is_authenticated and not has_totp(user):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
