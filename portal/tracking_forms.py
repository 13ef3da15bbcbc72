"""The sender's reply to a question, on the tracking link's page
(portal/tracking.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleForm


class ReplyForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your reply.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        max_chars = settings.KONTAKT_DESCRIPTION_MAX_CHARS
        field = self.fields["text"]
        field.help_text = _(
            "At most %(max)s characters. Your reply becomes part of your case, a public record. "
            "Do not write your personal identity number."
        ) % {"max": max_chars}
        field.widget.attrs["maxlength"] = max_chars
        field.validators.append(
            MaxLengthValidator(
                max_chars, message=_("Your reply is too long. Shorten it to at most %(limit_value)d characters.")
            )
        )
