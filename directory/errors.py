from accounts.citizen.errors import SignInRefused


class StaffSignInRefused(SignInRefused):
    """A staff sign-in through Entra ID that Kontakt will not accept.
    `reason` picks the message on templates/directory/sign_in_refused.html;
    the detail goes only to the log. Token faults (issuer, audience, expiry,
    signature, nonce) keep SignInRefused.TOKEN."""

    TENANT = "tenant"  # a token from another tenant
    GROUP_OVERAGE = "group_overage"  # too many groups for the token (_claim_names)
    DEACTIVATED = "deactivated"  # the account was deactivated (SCIM or by hand)
    NOT_STAFF = "not_staff"  # the identity belongs to a citizen's account
    EMAIL_TAKEN = "email_taken"  # another account has the e-mail address
