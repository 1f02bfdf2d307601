from django.urls import path

from texnopark.bookings.views import public, staff

app_name = "bookings"
urlpatterns = [
    path("", public.index, name="index"),
    path("parks/<slug:slug>/", public.park_resources, name="park"),
    path("parks/<slug:slug>/facilities/<int:pk>/", public.facility_resources, name="facility"),
    path("resources/<int:pk>/", public.resource_detail, name="resource"),
    path("resources/<int:pk>/book/", public.book, name="book"),
    path("mine/", public.mine, name="mine"),
    path("mine/feed/", public.feed_regenerate, name="feed_regenerate"),
    path("<int:pk>/", public.booking_detail, name="booking"),
    path("<int:pk>/cancel/", public.booking_cancel, name="cancel"),
    path("<int:pk>/change/", public.booking_change, name="change"),
    path("ical/<str:token>.ics", public.ical_feed, name="ical"),
    # Staff of the park, its region's administrator
    path("parks/<slug:slug>/requests/", staff.queue, name="queue"),
    path("parks/<slug:slug>/day/", staff.today, name="today"),
    path("<int:pk>/decide/", staff.booking_decide, name="decide"),
    path("<int:pk>/check-in/", staff.booking_check_in, name="check_in"),
    path("resources/<int:pk>/staff/", staff.resource_staff, name="resource_staff"),
    path("resources/<int:pk>/block/", staff.block, name="block"),
    path("resources/<int:pk>/service/", staff.service, name="service"),
    path("resources/<int:pk>/training/", staff.training, name="training"),
    path("resources/<int:pk>/feed/", staff.resource_feed_regenerate, name="resource_feed"),
    path("usage/", staff.usage, name="usage"),
    path("usage.xlsx", staff.usage_xlsx, name="usage_xlsx"),
]
