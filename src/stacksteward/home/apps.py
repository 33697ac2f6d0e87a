from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "stacksteward.home"
    label = "home"
    verbose_name = "Start page and search"
