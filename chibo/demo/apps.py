from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province across every app; it builds on all of them, none builds on it."""

    name = "chibo.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
