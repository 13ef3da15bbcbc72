from django.urls import path

from portal import mina_sidor, survey, tracking, views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("lamna/", views.choose_kind, name="choose_kind"),
    path("lamna/<slug:kind>/", views.intake, name="intake"),
    path("kvitto/<uuid:public_id>/", views.receipt, name="receipt"),
    path("om/<slug:slug>/", views.page, name="page"),
    path("du-sa-vi-gjorde/", views.improvements, name="improvements"),
    # The satisfaction survey, by the link in the closing notice.
    path("enkat/tack/", survey.thanks, name="survey_thanks"),
    path("enkat/<str:number>/<str:token>/", survey.survey, name="survey"),
    # The tracking link of a sender who was not signed in (cases/tracking.py).
    path("folj/<str:number>/<str:token>/", tracking.tracking_page, name="tracking"),
    # Mina sidor: the signed-in citizen's own pages.
    path("mina-sidor/", mina_sidor.overview, name="mina_sidor"),
    path("mina-sidor/logga-in/", mina_sidor.sign_in, name="mina_sidor_sign_in"),
    path("mina-sidor/logga-ut/", mina_sidor.sign_out, name="mina_sidor_sign_out"),
    path("mina-sidor/installningar/", mina_sidor.contact_settings, name="mina_sidor_settings"),
    path("mina-sidor/mina-uppgifter.json", mina_sidor.data_export, name="mina_sidor_export"),
    path("mina-sidor/arenden/<uuid:public_id>/", mina_sidor.case_detail, name="mina_sidor_case"),
    path("mina-sidor/arenden/<uuid:public_id>/meddelande/", mina_sidor.case_message, name="mina_sidor_message"),
    path("mina-sidor/arenden/<uuid:public_id>/enkat/", survey.mina_sidor_survey, name="mina_sidor_survey"),
    path(
        "mina-sidor/arenden/<uuid:public_id>/bilagor/<uuid:attachment_id>/",
        mina_sidor.attachment_download,
        name="mina_sidor_attachment",
    ),
]
