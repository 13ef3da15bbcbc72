from allauth.socialaccount.providers.oauth2.client import OAuth2Error


class SignInRefused(OAuth2Error):
    """A sign-in Kontakt will not accept. `reason` picks the message the
    citizen sees (templates/socialaccount/authentication_error.html); the
    technical detail goes only to the log."""

    TOKEN = "token"  # issuer, audience, expiry, signature, key id, nonce
    ASSURANCE = "assurance"  # acr too low
    NUMBER = "number"  # malformed personal number
    STAFF = "staff"  # the identity belongs to a staff account
    CONNECT = "connect"  # connecting an e-legitimation to an account

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
