from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "texnopark.api"
    label = "api"
    verbose_name = "API"
