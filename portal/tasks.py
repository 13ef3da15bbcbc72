from celery import shared_task

from portal import ratelimit


@shared_task(ignore_result=True)
def submission_counts_purge() -> int:
    return ratelimit.counts_purge()
