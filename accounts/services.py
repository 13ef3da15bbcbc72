"""Changes to staff accounts."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone


@transaction.atomic
def user_mfa_reset(*, user, by=None) -> int:
    """Remove the user's authenticators (TOTP and recovery codes), e.g. after
    a lost phone, and end their sessions. At the next sign-in they are asked
    to set up TOTP again. Returns how many authenticators were removed."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    # Database sessions: end every session of this user.
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
    return removed
