"""stats listens to cases (imports point one way): every saved case and
contact refreshes its statistics row in the same transaction; a changed
pause period rebuilds the working-day calendar."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from cases.models import Case, Contact, PausePeriod
from stats import maintenance


@receiver(post_save, sender=Case, dispatch_uid="stats_case_saved")
def case_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        maintenance.case_stat_refresh(instance.pk)


@receiver(post_save, sender=Contact, dispatch_uid="stats_contact_saved")
def contact_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        maintenance.case_stat_refresh(instance.case_id)


@receiver(post_delete, sender=Contact, dispatch_uid="stats_contact_deleted")
def contact_deleted(sender, instance, origin=None, **kwargs):
    # When the whole case is deleted its statistics row goes with it.
    if origin is instance:
        maintenance.case_stat_refresh(instance.case_id)


@receiver(pre_save, sender=PausePeriod, dispatch_uid="stats_pause_before")
def pause_before_save(sender, instance, raw=False, **kwargs):
    instance._stats_old_range = (
        PausePeriod.objects.filter(pk=instance.pk).values_list("start", "end").first() if instance.pk else None
    )


@receiver(post_save, sender=PausePeriod, dispatch_uid="stats_pause_saved")
@receiver(post_delete, sender=PausePeriod, dispatch_uid="stats_pause_deleted")
def pause_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    start, end = instance.start, instance.end
    old = getattr(instance, "_stats_old_range", None)
    if old:
        start, end = min(start, old[0]), max(end, old[1])
    maintenance.calendar_changed(start=start, end=end)
