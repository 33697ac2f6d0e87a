from django.urls import path

from stacksteward.core.pages import page_urls

from . import views
from .resources import CATEGORIES, COMPONENTS, RELATIONS, VENDORS

app_name = "catalog"
urlpatterns = [
    *page_urls(COMPONENTS),
    path("components/<slug:slug>/raci/", views.raci_edit, name="raci_edit"),
    path("components/<slug:slug>/graph/", views.component_graph, name="component_graph"),
    *page_urls(VENDORS),
    *page_urls(CATEGORIES),
    *page_urls(RELATIONS),
    path("health/", views.health, name="health"),
    path("graph/", views.graph_page, name="graph"),
    path("graph/data/", views.graph_data, name="graph_data"),
]
