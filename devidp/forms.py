from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.forms import AllowForm

from devidp.personas import PERSONAS


class PersonaForm(AllowForm):
    persona = forms.ChoiceField(
        label=_("Test person"),
        choices=[(p.key, p.label) for p in PERSONAS],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": _("Choose a test person to sign in as.")},
    )
