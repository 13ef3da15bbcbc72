"""A signed-in test client for the benchmarks: a member of staff whose session
passed the second factor, as after allauth's TOTP step."""

from __future__ import annotations

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.test import Client

from accounts.models import User


def signed_in(user: User, client: Client | None = None) -> Client:
    client = client or Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "type": "totp", "at": time.time()}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
