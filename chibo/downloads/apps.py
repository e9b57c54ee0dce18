from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "chibo.downloads"
    label = "downloads"
    verbose_name = "Tệp xuất chạy nền"
