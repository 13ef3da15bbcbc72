"""The fields a case is registered with, shared by the public intake form
(portal/forms.py) and staff registration (cases/forms.py), so a case that
comes in on the web and one a colleague types in follow the same rules and
get the same messages. Messages say what to do, in plain words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.validators import normalize_phone


class DescriptionField(forms.CharField):
    """What the case is about: KONTAKT_DESCRIPTION_MIN_CHARS to
    KONTAKT_DESCRIPTION_MAX_CHARS characters, line breaks as typed. There is
    no maxlength attribute, so nothing typed is cut off: the message says how
    much to shorten instead."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n").strip()

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        min_chars, max_chars = settings.KONTAKT_DESCRIPTION_MIN_CHARS, settings.KONTAKT_DESCRIPTION_MAX_CHARS
        if len(value) < min_chars:
            raise ValidationError(
                gettext("Write at least %(min)d characters, so that we understand what your case is about.")
                % {"min": min_chars},
                code="too_short",
            )
        if len(value) > max_chars:
            raise ValidationError(
                ngettext(
                    "The description can be at most %(max)s characters. You wrote %(count)s. Shorten it by %(over)s character.",
                    "The description can be at most %(max)s characters. You wrote %(count)s. Shorten it by %(over)s characters.",
                    len(value) - max_chars,
                )
                % {
                    "max": number_format(max_chars, force_grouping=True),
                    "count": number_format(len(value), force_grouping=True),
                    "over": number_format(len(value) - max_chars, force_grouping=True),
                },
                code="too_long",
            )


class PlaceField(forms.CharField):
    """An address or a description of the place."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("The place can be at most %(limit_value)d characters. You wrote %(show_value)d.")},
        )
        super().__init__(**kwargs)


class NameField(forms.CharField):
    """The sender's name, with runs of spaces made one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("The name can be at most %(limit_value)d characters. You wrote %(show_value)d.")},
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return " ".join((super().to_python(value) or "").split())


class EmailAddressField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter an e-mail address in the right format, like name@example.se."),
                "max_length": _(
                    "The e-mail address can be at most %(limit_value)d characters. You wrote %(show_value)d."
                ),
            },
        )
        super().__init__(**kwargs)


class MobileNumberField(forms.CharField):
    """A mobile number, cleaned to E.164 (core.validators.normalize_phone)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "error_messages", {"max_length": _("Enter a mobile number, like 070 123 45 67 or +46 70 123 45 67.")}
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return normalize_phone(super().clean(value))
