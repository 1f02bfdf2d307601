from django.contrib import admin
from django.urls import include, path

from texnopark.accounts.views import set_language
from texnopark.api.urls import api
from texnopark.core.views import audit_log, notifications

urlpatterns = [
    path("", include("texnopark.network.urls")),
    path("accounts/", include("texnopark.accounts.urls")),
    path("bookings/", include("texnopark.bookings.urls")),
    path("training/", include("texnopark.training.urls")),
    path("", include("texnopark.ventures.urls")),
    path("", include("texnopark.intake.urls")),
    path("reports/", include("texnopark.reports.urls")),
    path("notifications/", notifications, name="notifications"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("audit/", audit_log, name="audit_log"),
    path("api/v1/", api.urls),
    path("back-office/", admin.site.urls),
]
