from django.urls import path

from texnopark.bookings import views

app_name = "bookings"
urlpatterns = [
    path("", views.index, name="index"),
    path("parks/<slug:slug>/", views.park_resources, name="park"),
    path("parks/<slug:slug>/facilities/<int:pk>/", views.facility_resources, name="facility"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/book/", views.book, name="book"),
    path("mine/", views.mine, name="mine"),
    path("mine/feed/", views.feed_regenerate, name="feed_regenerate"),
    path("<int:pk>/", views.booking_detail, name="booking"),
    path("<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("<int:pk>/change/", views.booking_change, name="change"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    # Staff of the park, its region's administrator
    path("parks/<slug:slug>/requests/", views.queue, name="queue"),
    path("parks/<slug:slug>/day/", views.today, name="today"),
    path("<int:pk>/decide/", views.booking_decide, name="decide"),
    path("<int:pk>/check-in/", views.booking_check_in, name="check_in"),
    path("resources/<int:pk>/staff/", views.resource_staff, name="resource_staff"),
    path("resources/<int:pk>/block/", views.block, name="block"),
    path("resources/<int:pk>/service/", views.service, name="service"),
    path("resources/<int:pk>/training/", views.training, name="training"),
    path("resources/<int:pk>/feed/", views.resource_feed_regenerate, name="resource_feed"),
    path("usage/", views.usage, name="usage"),
    path("usage.xlsx", views.usage_xlsx, name="usage_xlsx"),
]
