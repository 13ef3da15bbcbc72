"""The authorization endpoint of the development provider. The persona
choice stands in for the BankID app: there is no sign-in at the provider, so
a Kontakt session and the provider never share a signed-in user."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.generic import View
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView, ConnectDiscoveryInfoView

from accounts.models import User
from devidp.forms import PersonaForm
from devidp.personas import BY_KEY


class PersonaAuthorizationView(AuthorizationView):
    template_name = "devidp/choose.html"
    form_class = PersonaForm

    def dispatch(self, request, *args, **kwargs):
        # Skips the provider's own login requirement on purpose.
        self.oauth2_data = {}
        response = View.dispatch(self, request, *args, **kwargs)
        location = response.get("Location", "")
        if response.status_code == 302 and ("code=" in location or "error=" in location):
            # RFC 9207: the response names its issuer (the OpenID issuer,
            # which django-oauth-toolkit's own option would not use).
            issuer = oauth2_settings.oidc_issuer(request)
            response["Location"] = f"{location}{'&' if '?' in location else '?'}{urlencode({'iss': issuer})}"
        return response

    def get(self, request, *args, **kwargs):
        # "auto" would look up earlier grants of a signed-in provider user;
        # prompt=login and max_age=0 ask for a fresh sign-in: there is no
        # provider session, so the persona page is always that fresh sign-in.
        ignored = [name for name in ("approval_prompt", "prompt", "max_age") if name in request.GET]
        if ignored:
            request.GET = request.GET.copy()
            for name in ignored:
                del request.GET[name]
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if form.cleaned_data.get("allow"):
            key = form.cleaned_data.get("persona")
            if not key:
                form.add_error("persona", PersonaForm.base_fields["persona"].error_messages["required"])
                return self.form_invalid(form)
            # The grant belongs to the persona's row; nobody is signed in here.
            self.request.user = User.objects.get(username=BY_KEY[key].username)
        return super().form_valid(form)


class DiscoveryView(ConnectDiscoveryInfoView):
    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["authorization_response_iss_parameter_supported"] = True
        answer = JsonResponse(data)
        answer["Access-Control-Allow-Origin"] = "*"
        return answer
