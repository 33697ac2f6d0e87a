from django.urls import path

from . import views

# site-wide pages at the root (no namespace)
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
]
