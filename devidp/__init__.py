"""A development identity provider: a real OpenID Connect provider
(django-oauth-toolkit) with test persons, standing in for an e-legitimation
broker and the BankID app. Installed only when KONTAKT_DEV_IDP is on."""
