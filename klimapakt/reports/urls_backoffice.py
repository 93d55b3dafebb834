from django.urls import path

from . import views

app_name = "reports_office"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:report_pk>/", views.review, name="review"),
    path("<int:report_pk>/zurueckgeben/", views.review_return, name="return"),
    path("<int:report_pk>/annehmen/", views.review_accept, name="accept"),
    path("<int:report_pk>/zur-korrektur-oeffnen/", views.review_reopen, name="reopen"),
    path("jahresuebersicht/", views.overview, name="overview"),
    path("jahresuebersicht/<int:year>.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("massnahmenkatalog/", views.catalogue, name="catalogue"),
    path("massnahmenkatalog/neu/", views.catalogue_edit, name="catalogue_create"),
    path("massnahmenkatalog/<int:pk>/", views.catalogue_edit, name="catalogue_edit"),
]
