from django.conf import settings


def municipality(request):
    return {
        "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
        "service_name": settings.KONTAKT_SERVICE_NAME,
        "municipality_phone": settings.KONTAKT_PHONE,
    }
