from django.urls import path

from cases.views import case, lists

app_name = "cases"

urlpatterns = [
    path("", lists.home, name="home"),
    path("arenden/", lists.case_list, name="list"),
    path("registrera/", case.case_register, name="register"),
    path("arenden/<str:number>/", case.case_detail, name="detail"),
    path("arenden/<str:number>/bilagor/<uuid:attachment_id>/", case.attachment_download, name="attachment"),
    path("arenden/<str:number>/skicka-vidare/", case.case_route, name="route"),
    path("arenden/<str:number>/tilldela/", case.case_assign, name="assign"),
    path("arenden/<str:number>/ta/", case.case_take, name="take"),
    path("arenden/<str:number>/anteckning/", case.case_note, name="note"),
    path("arenden/<str:number>/svara/", case.case_answer, name="answer"),
    path("arenden/<str:number>/avsluta/", case.case_close, name="close"),
    path("arenden/<str:number>/ateroppna/", case.case_reopen, name="reopen"),
]
