from texnopark.ventures.views import companies, ideas, registry

app_name = "ventures"
urlpatterns = ideas.urlpatterns + companies.urlpatterns + registry.urlpatterns
