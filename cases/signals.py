"""What the case domain tells the layers above it without knowing them.
cases sends these; apps above it (records: the access log) connect to them
in their AppConfig.ready()."""

from django.dispatch import Signal

# A member of staff was shown a case's text and contact details (attachment
# None) or downloaded one of its attachments. Keyword arguments: user, case,
# attachment. Sent synchronously: a receiver that fails fails the request.
case_read = Signal()
