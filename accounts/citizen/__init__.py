"""Citizen sign-in with e-legitimation: allauth's OpenID Connect provider,
tightened to the Swedish OpenID Connect profile for e-identification."""


def user_display(user) -> str:
    """How allauth names a user in its messages: never the internal username."""
    return user.display_name if not user.is_citizen else (user.get_full_name() or str(_("you")))


from django.utils.translation import gettext_lazy as _  # noqa: E402
