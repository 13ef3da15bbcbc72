"""The development identity provider's OAuth Toolkit tables are set up by
`devidp.setup` and never edited by hand: they stay out of the admin."""

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

for model in (
    get_application_model(),
    get_access_token_model(),
    get_refresh_token_model(),
    get_id_token_model(),
    get_grant_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
