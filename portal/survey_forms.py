"""The satisfaction survey's form (portal/survey.py): two questions as
radio groups in their own fieldsets, and an optional comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import SatisfactionSurvey
from core.forms import AccessibleForm

SCORES = [
    (1, _("1 – Very dissatisfied")),
    (2, _("2 – Rather dissatisfied")),
    (3, _("3 – Neither satisfied nor dissatisfied")),
    (4, _("4 – Rather satisfied")),
    (5, _("5 – Very satisfied")),
]
COMMENT_MAX_CHARS = 2000


class SurveyForm(AccessibleForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how the municipality handled your case?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5.")},
    )
    got_answer = forms.ChoiceField(
        label=_("Did you get an answer to what you asked?"),
        choices=SatisfactionSurvey.GotAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes, partly or no.")},
    )
    comment = forms.CharField(
        label=_("Is there anything else you want to tell us?"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What you write is saved in your case and becomes a public record, which others can ask to read. "
            "Do not write your personal identity number or sensitive details about yourself or others."
        ),
        error_messages={"max_length": _("Write at most %(limit_value)d characters. You have written %(show_value)d.")},
    )
