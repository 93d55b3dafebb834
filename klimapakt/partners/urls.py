from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisation/neu/", views.organisation_create, name="organisation_create"),
    path("organisation/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisation/<int:pk>/angaben/", views.organisation_edit, name="organisation_edit"),
    path("organisation/<int:pk>/mitglieder/<int:membership_pk>/entfernen/", views.membership_remove,
         name="membership_remove"),
    path("organisation/<int:pk>/gespraech/", views.talk_answer, name="talk_answer"),
    path("organisation/<int:pk>/vereinbarung/", views.agreement, name="agreement"),
    path("organisation/<int:pk>/vereinbarung.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("organisation/<int:pk>/ziele/", views.targets, name="targets"),
    path("organisation/<int:pk>/ziele/<int:target_pk>/", views.targets, name="target_edit"),
    path("organisation/<int:pk>/ziele/<int:target_pk>/entfernen/", views.target_delete, name="target_delete"),
    path("organisation/<int:pk>/profil/", views.profile, name="profile"),
    path("organisation/<int:pk>/urkunde.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("organisation/<int:pk>/siegel.<str:fmt>", views.badge, name="badge"),
    path("organisation/<int:pk>/dokumente/<int:document_pk>/", views.document_download, name="document"),
    path("organisation/<int:pk>/austreten/", views.leave, name="leave"),
]
