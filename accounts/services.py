"""Changes to accounts: staff sign-in, and forgetting citizens."""

from __future__ import annotations

from collections.abc import Collection

from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import User


@transaction.atomic
def user_mfa_reset(*, user, by=None) -> int:
    """Remove the user's authenticators (TOTP and recovery codes), e.g. after
    a lost phone, and end their sessions. At the next sign-in they are asked
    to set up TOTP again. Returns how many authenticators were removed."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    return removed


def user_sessions_end(*, user: User) -> int:
    """End every session of this user (database sessions: the user id sits
    inside the encoded data, so each live session is read). Returns how many
    were ended."""
    key = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def citizens_forget(*, user_ids: Collection[int]) -> int:
    """Remove these citizens with their identity (the hash and masked form of
    the personal number, e-mail, phone) and their e-identification links;
    signing in again starts afresh. The caller (retention's disposal) has
    checked that none of them has a case left. Staff ids are ignored.
    Returns how many were removed."""
    count = 0
    for user in User.objects.filter(pk__in=list(user_ids), kind=User.Kind.CITIZEN):
        user.delete()
        count += 1
    return count
