from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chibo.plans"
    label = "plans"
    verbose_name = "Học tập và làm theo"
