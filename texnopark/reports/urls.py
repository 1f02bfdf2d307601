from texnopark.reports.views import dashboard, filing, staff

app_name = "reports"
urlpatterns = filing.urlpatterns + staff.urlpatterns + dashboard.urlpatterns
