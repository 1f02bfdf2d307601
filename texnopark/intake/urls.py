from texnopark.intake.views import applications, calls, commission, review

app_name = "intake"
urlpatterns = calls.urlpatterns + applications.urlpatterns + review.urlpatterns + commission.urlpatterns
