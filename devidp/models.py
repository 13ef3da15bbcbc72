# No models of its own: the provider uses django-oauth-toolkit's. This module
# exists so that post_migrate reaches the app (devidp/apps.py).
