from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def notices_send_task() -> int:
    return services.send_pending()


@shared_task(ignore_result=True)
def notices_digest_task() -> int:
    return services.digest_all()
