"""Settings for the test suite: pytest's DJANGO_SETTINGS_MODULE (pyproject.toml).

Everything the tests need that production must never have is switched on here,
explicitly, and nowhere else; kontakt/settings.py has no test branch.
"""

import os

# The development identity provider (devidp/) and its test persons: the Mina
# sidor tests sign in through it. It shapes INSTALLED_APPS and the OpenID
# Connect settings, so it is chosen before the settings are read. Worker
# processes that tests start inherit it and so see the same apps.
os.environ["KONTAKT_DEV_IDP"] = "true"

from kontakt.settings import *  # noqa: F403

# A fast password hasher: the suite creates many users; strength is no concern here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# E-mail stays in memory (django.core.mail.outbox); tests that need a real
# SMTP server switch to the SMTP backend themselves.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
