from django.urls import path

from stacksteward.core.pages import page_urls

from . import views
from .resources import DEPARTMENTS, PEOPLE

app_name = "org"
urlpatterns = [
    *page_urls(DEPARTMENTS),
    *page_urls(PEOPLE),
    path("time-zone/", views.time_zone, name="time_zone"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
