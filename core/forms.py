"""The accessible form base every Kontakt form uses (docs/accessibility.md, after
the GOV.UK Design System). What it gives:

- one crispy-forms field template, templates/core/crispy/field.html: a
  visible label (or a legend for radios and checkboxes), "(optional)" on
  optional fields, the hint under the label, the field's own error between
  label and input starting with a visually hidden "Error:";
- Django ties hint and error to the input (aria-describedby, ids
  `<id>_helptext` and `<id>_error`) and sets aria-invalid="true";
- `error_list` for the one error summary, templates/core/_error_summary.html,
  whose links point at the input (the first option of a group);
- static/js/forms.js focuses the summary on load.

Render a whole form with `{% crispy form %}` (the layout is `helper.layout`),
or one field with `{% field form.name %}` from the core_forms tag library."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.functional import Promise

FIELD_TEMPLATE = "core/crispy/field.html"


class AccessibleBoundField(forms.BoundField):
    """What the field template asks of a field beyond Django's own."""

    @property
    def error_target(self) -> str:
        """The id the error summary links to: the input, or the first option
        of a radio or checkbox group."""
        if self.field.widget.use_fieldset:
            return f"{self.auto_id}_0"
        return self.id_for_label

    @property
    def input_type(self) -> str:
        """The widget's input type ("radio", "checkbox", "select", "text"...), "" for a text area."""
        return getattr(self.field.widget, "input_type", "")

    @property
    def show_optional_marker(self) -> bool:
        form = self.form
        return (
            not self.field.required
            and getattr(form, "mark_optional", True)
            and self.name not in getattr(form, "unmarked_optional", ())
        )

    @property
    def option_hints(self) -> dict[str, Promise | str]:
        return getattr(self.form, "option_hints", {}).get(self.name, {})

    @property
    def legend_is_heading(self) -> bool:
        return self.name == getattr(self.form, "heading_field", None)

    @property
    def legend(self) -> Promise | str:
        """A single checkbox may sit in a fieldset of its own with a legend."""
        return getattr(self.form, "checkbox_legends", {}).get(self.name, "")

    @property
    def reselect_notice(self) -> bool:
        return self.name in getattr(self.form, "files_lost_fields", ())


class AccessibleFormMixin:
    """The base's behaviour for forms that must inherit from another
    library's form (allauth's sign-in forms); everything else subclasses
    AccessibleForm.

    Class attributes a form may set:
    - mark_optional: False on filter forms, where every field is optional;
    - unmarked_optional: names of optional fields that get no "(optional)",
      for example fields needed only for a choice made elsewhere;
    - option_hints: {field name: {choice value: hint}} for radio options;
    - heading_field: the radio group whose legend is the page's <h1>;
    - checkbox_legends: {field name: legend} for a single checkbox that sits
      in a fieldset of its own."""

    bound_field_class: type[forms.BoundField] | None = AccessibleBoundField
    mark_optional: bool = True
    unmarked_optional: tuple[str, ...] = ()
    option_hints: dict[str, dict[str, Promise | str]] = {}
    heading_field: str | None = None
    checkbox_legends: dict[str, Promise | str] = {}
    files_lost_fields: tuple[str, ...] = ()
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Placeholders vanish as people type and often fail contrast;
            # the hint says what the placeholder would have.
            field.widget.attrs.pop("placeholder", None)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.field_template = FIELD_TEMPLATE

    @property
    def error_list(self) -> list[tuple[Any, AccessibleBoundField | None]]:
        """(message, bound field or None) in page order, for the summary."""
        items: list[tuple[Any, AccessibleBoundField | None]] = [
            (message, None)
            for message in self.non_field_errors()  # type: ignore[attr-defined]
        ]
        for bound in self:  # type: ignore[attr-defined]
            for message in bound.errors:
                items.append((message, bound))
        return items

    @property
    def files_lost(self) -> bool:
        return bool(self.files_lost_fields)

    def mark_files_lost(self, files: Any) -> None:
        """Files cannot be kept across a refused submission: the file fields
        that had files say so, next to the field and in the error summary."""
        self.files_lost_fields = tuple(
            name
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.FileInput) and any(files.getlist(self.add_prefix(name)))  # type: ignore[attr-defined]
        )


class LabelledModelChoiceField(forms.ModelChoiceField):
    """A model choice whose option text is `label_of(instance)`, declared
    with the field (Django's way to change the text is a subclass; this is
    that subclass, once)."""

    def __init__(self, *args: Any, label_of: Callable[[Any], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self.label_of(obj)


class AccessibleForm(AccessibleFormMixin, forms.Form):
    """The base of every Kontakt form."""
