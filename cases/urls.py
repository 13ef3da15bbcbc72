from django.urls import path

from cases.views import case, content, improvements, lists

app_name = "cases"

urlpatterns = [
    path("", lists.home, name="home"),
    path("arenden/", lists.case_list, name="list"),
    path("registrera/", case.case_register, name="register"),
    path("registrerade/", case.registered_list, name="registered"),
    path("guide/", content.guide, name="guide"),
    path("innehall/", content.content_index, name="content"),
    path("innehall/texter/<slug:key>/", content.text_edit, name="content_text"),
    path("innehall/driftmeddelanden/", content.service_messages, name="service_messages"),
    path("innehall/driftmeddelanden/nytt/", content.service_message_edit, name="service_message_new"),
    path("innehall/driftmeddelanden/<int:message_id>/", content.service_message_edit, name="service_message_edit"),
    path(
        "innehall/driftmeddelanden/<int:message_id>/avsluta/",
        content.service_message_end,
        name="service_message_end",
    ),
    path("arenden/<str:number>/", case.case_detail, name="detail"),
    path("arenden/<str:number>/bilagor/<uuid:attachment_id>/", case.attachment_download, name="attachment"),
    path("arenden/<str:number>/skicka-vidare/", case.case_route, name="route"),
    path("arenden/<str:number>/tilldela/", case.case_assign, name="assign"),
    path("arenden/<str:number>/ta/", case.case_take, name="take"),
    path("arenden/<str:number>/anteckning/", case.case_note, name="note"),
    path("arenden/<str:number>/svara/", case.case_answer, name="answer"),
    path("arenden/<str:number>/avsluta/", case.case_close, name="close"),
    path("arenden/<str:number>/ateroppna/", case.case_reopen, name="reopen"),
    path("arenden/<str:number>/forlang/", case.case_extend, name="extend"),
    path("arenden/<str:number>/fraga/", case.case_request_info, name="request_info"),
    path("arenden/<str:number>/folj-lank/aterkalla/", case.case_tracking_revoke, name="tracking_revoke"),
    path("arenden/<str:number>/folj-lank/ny/", case.case_tracking_renew, name="tracking_renew"),
    # Improvements ("Du sa – vi gjorde").
    path("forbattringar/", improvements.improvement_list, name="improvements"),
    path("forbattringar/export.csv", improvements.improvement_export, name="improvements_export"),
    path("forbattringar/ny/", improvements.improvement_new, name="improvement_new"),
    path("forbattringar/<int:pk>/", improvements.improvement_detail, name="improvement"),
    path("forbattringar/<int:pk>/andra/", improvements.improvement_change, name="improvement_change"),
    path("forbattringar/<int:pk>/koppla/", improvements.improvement_link_case, name="improvement_link"),
    path("forbattringar/<int:pk>/publicera/", improvements.improvement_publish, name="improvement_publish"),
]
