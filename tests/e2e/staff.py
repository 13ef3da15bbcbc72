"""Signing a member of staff in through the real pages: e-mail and password,
then the TOTP code computed with pyotp."""

import time

import pyotp


def totp_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    # Never type a code in its last two seconds: it could expire on the way.
    if totp.interval - time.time() % totp.interval < 2:
        time.sleep(2.5)
    return totp.now()


def sign_in_staff(page, email: str, password: str, totp_secret: str, *, next_url: str = "/handlaggning/") -> None:
    """Sign in at /konto/login/ and pass the TOTP step. The user must already
    have a TOTP authenticator with totp_secret (see activate_totp)."""
    page.goto(f"/konto/login/?next={next_url}")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.get_by_label("Kod").fill(totp_code(totp_secret))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"**{next_url}**")


def activate_totp(user) -> str:
    """Give a user a TOTP authenticator and return its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
