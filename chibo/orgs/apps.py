from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "chibo.orgs"
    label = "orgs"
    verbose_name = "Tổ chức"
