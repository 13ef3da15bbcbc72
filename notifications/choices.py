"""The channels and the messages Kontakt sends. Apart from the models so
that rendering and the shipped defaults need no model import."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class TemplateKey(models.TextChoices):
    RECEIPT = "receipt", _("Receipt to the sender")
    ANSWERED = "answered", _("Answer notice to the sender")
    CLOSED = "closed", _("Closing notice to the sender")
    DELAYED = "delayed", _("New due date (to the sender)")
    OVERDUE = "overdue", _("Answer overdue (to the sender)")
    INFO_REQUEST = "info_request", _("Question to the sender")
    TRACKING_LINK = "tracking_link", _("New tracking link (to the sender)")
    DUPLICATE_NEWS = "duplicate_news", _("News in the case a duplicate joined (to the duplicate's sender)")
    STAFF_NEW_CASE = "staff_new_case", _("New case (to the unit)")
    STAFF_ROUTED = "staff_routed", _("Case routed (to the new unit)")
    STAFF_ASSIGNED = "staff_assigned", _("Case assigned (to the case officer)")
    STAFF_CITIZEN_MESSAGE = "staff_citizen_message", _("Message from the sender (to staff)")
    STAFF_DIGEST = "staff_digest", _("Morning digest of deadlines (to staff)")
    STATS_MONTHLY = "stats_monthly", _("Monthly statistics report (to the communications department)")
    STATS_DEPARTMENT = "stats_department", _("Monthly summary of a department (to its department heads)")
