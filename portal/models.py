from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """A text page an administrator edits: the accessibility statement and
    the privacy notice."""

    slug = models.SlugField(_("address"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Paragraphs separated by a blank line. Lines starting with '## ' are headings.")
    )
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def localized(self) -> tuple[str, str]:
        if (get_language() or "sv").startswith("en") and self.title_en and self.body_en:
            return self.title_en, self.body_en
        return self.title, self.body


class SubmissionCount(models.Model):
    """How many cases one browser session or one client address sent in its
    current window (portal/ratelimit.py). The key is a hash: no readable
    session ids or addresses are stored."""

    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["window_start"], name="portal_subcount_window_idx")]

    def __str__(self) -> str:
        return f"{self.key[:8]}: {self.count}"
