from django.urls import path

from chibo.api import api

urlpatterns = [path("", api.urls)]
