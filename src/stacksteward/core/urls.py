from django.urls import path

from . import views

# core pages live at the site root (no namespace)
urlpatterns: list = []
