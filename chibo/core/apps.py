from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chibo.core"
    label = "core"
    verbose_name = "Chibo core"
