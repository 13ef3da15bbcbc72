"""The socialaccount adapter: who may sign in with e-legitimation and what is
kept about them."""

from __future__ import annotations

import logging
import uuid
from typing import NoReturn

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.citizen.errors import SignInRefused
from accounts.citizen.views import reprompt_next_sign_in
from accounts.models import CitizenIdentity, User

log = logging.getLogger(__name__)


def _refuse(request: HttpRequest, sociallogin, reason: str, detail: str) -> NoReturn:
    raise ImmediateHttpResponse(
        render_authentication_error(request, sociallogin.provider, exception=SignInRefused(reason, detail))
    )


class CitizenSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        # Staff accounts are never created by sign-up; citizens' are, here.
        return True

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin) -> bool:
        return True

    def populate_user(self, request: HttpRequest, sociallogin, data):
        user = sociallogin.user
        user.kind = User.Kind.CITIZEN
        user.username = f"citizen-{uuid.uuid4().hex}"
        user.email = ""
        user.first_name = data.get("first_name") or ""
        user.last_name = data.get("last_name") or ""
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        if sociallogin.state.get("process") not in (None, "login"):
            _refuse(request, sociallogin, SignInRefused.CONNECT, "only sign-in is supported")
        citizen = getattr(sociallogin, "citizen", None)
        if citizen is None:
            _refuse(request, sociallogin, SignInRefused.TOKEN, "not a citizen sign-in")
        if sociallogin.is_existing:
            if not sociallogin.user.is_citizen:
                _refuse(request, sociallogin, SignInRefused.STAFF, "account is not a citizen's")
            record_identity(sociallogin.user, citizen)
            return
        number = citizen["number"]
        if number is not None:
            # The same person through another broker or e-legitimation (a new
            # issuer and subject) finds the cases they already have.
            identity = CitizenIdentity.objects.select_related("user").filter(number_hash=number.hash).first()
            if identity is not None:
                if not identity.user.is_citizen:
                    _refuse(request, sociallogin, SignInRefused.STAFF, "number belongs to a non-citizen")
                sociallogin.connect(request, identity.user)
                record_identity(identity.user, citizen)

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            record_identity(user, sociallogin.citizen)
        return user

    def validate_disconnect(self, account, accounts) -> None:
        raise ValidationError(_("Your e-identification cannot be disconnected from your account."))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        # The detail names the check that failed; it never carries claims.
        log.warning("citizen sign-in refused: error=%s exception=%s", error, exception)
        reprompt_next_sign_in(request)


def record_identity(user: User, citizen: dict) -> CitizenIdentity:
    """Create or update what Kontakt keeps about the citizen at sign-in."""
    number = citizen["number"]
    identity, _created = CitizenIdentity.objects.get_or_create(user=user)
    identity.assurance_level = citizen["acr"]
    identity.last_signed_in_at = timezone.now()
    fields = ["assurance_level", "last_signed_in_at"]
    if number is not None and identity.number_hash != number.hash:
        identity.number_hash, identity.number_kind, identity.number_masked = number.hash, number.kind, number.masked
        fields += ["number_hash", "number_kind", "number_masked"]
    identity.save(update_fields=fields)
    names = {"first_name": citizen["given_name"], "last_name": citizen["family_name"]}
    changed = [field for field, value in names.items() if value and getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, names[field])
        user.save(update_fields=changed)
    return identity
