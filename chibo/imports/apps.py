from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "chibo.imports"
    label = "imports"
    verbose_name = "Nhập danh sách"
