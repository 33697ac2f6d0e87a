from django.apps import AppConfig


class StackcodeConfig(AppConfig):
    name = "stacksteward.stackcode"
    label = "stackcode"
    verbose_name = "Stack as code"
