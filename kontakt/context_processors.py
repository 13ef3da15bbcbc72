from django.conf import settings


def municipality(request):
    return {
        "municipality_name": settings.KONTAKT_MUNICIPALITY_NAME,
        "service_name": settings.KONTAKT_SERVICE_NAME,
        "municipality_phone": settings.KONTAKT_PHONE,
        # The staff sign-in page shows the password form only when it is on,
        # and then under the directory sign-in when there is one.
        "staff_password_sign_in": settings.KONTAKT_STAFF_PASSWORD_SIGN_IN,
    }
