"""Citizen sign-in with e-legitimation: allauth's OpenID Connect provider,
tightened to the Swedish OpenID Connect profile for e-identification."""

from django.utils.translation import gettext as _


def user_display(user) -> str:
    """How allauth names a user in its messages: never the internal username."""
    if user.is_citizen:
        return user.get_full_name() or _("you")
    return user.display_name
