"""The authorization endpoint of the development provider. The persona
choice stands in for the BankID app: there is no sign-in at the provider, so
a Kontakt session and the provider never share a signed-in user."""

from __future__ import annotations

from django.views.generic import View
from oauth2_provider.views import AuthorizationView

from accounts.models import User
from devidp.forms import PersonaForm
from devidp.personas import BY_KEY


class PersonaAuthorizationView(AuthorizationView):
    template_name = "devidp/choose.html"
    form_class = PersonaForm

    def dispatch(self, request, *args, **kwargs):
        # Skips the provider's own login requirement on purpose.
        self.oauth2_data = {}
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "approval_prompt" in request.GET:
            # "auto" would look up earlier grants of a signed-in provider user; there is none.
            request.GET = request.GET.copy()
            del request.GET["approval_prompt"]
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
