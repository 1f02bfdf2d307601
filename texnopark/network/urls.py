from django.urls import path

from texnopark.network import views

app_name = "network"
urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("parks/<slug:slug>/", views.park_detail, name="park"),
    path("parks/<slug:slug>/edit/", views.park_edit, name="park_edit"),
    path("parks/<slug:slug>/facilities/new/", views.facility_edit, name="facility_new"),
    path("parks/<slug:slug>/facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("parks/<slug:slug>/facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("districts/", views.district_list, name="districts"),
    path("districts/<int:pk>/", views.district_detail, name="district"),
    path("centres/<int:pk>/edit/", views.centre_edit, name="centre_edit"),
    path("universities/", views.university_list, name="universities"),
]
