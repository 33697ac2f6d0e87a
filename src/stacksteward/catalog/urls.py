from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("components/", views.ComponentListView.as_view(), name="component_list"),
    path("components/add/", views.ComponentFormView.as_view(), name="component_add"),
    path("components/<slug:slug>/", views.ComponentDetailView.as_view(), name="component"),
    path("components/<slug:slug>/edit/", views.ComponentFormView.as_view(), name="component_edit"),
    path("components/<slug:slug>/delete/", views.ComponentDeleteView.as_view(), name="component_delete"),
    path("components/<slug:slug>/raci/", views.raci_edit, name="raci_edit"),
    path("components/<slug:slug>/graph/", views.component_graph, name="component_graph"),
    path("vendors/", views.VendorListView.as_view(), name="vendor_list"),
    path("vendors/add/", views.VendorFormView.as_view(), name="vendor_add"),
    path("vendors/<slug:slug>/", views.VendorDetailView.as_view(), name="vendor"),
    path("vendors/<slug:slug>/edit/", views.VendorFormView.as_view(), name="vendor_edit"),
    path("vendors/<slug:slug>/delete/", views.VendorDeleteView.as_view(), name="vendor_delete"),
    path("categories/", views.CategoryListView.as_view(), name="category_list"),
    path("categories/add/", views.CategoryFormView.as_view(), name="category_add"),
    path("categories/<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path("categories/<slug:slug>/edit/", views.CategoryFormView.as_view(), name="category_edit"),
    path("categories/<slug:slug>/delete/", views.CategoryDeleteView.as_view(), name="category_delete"),
    path("relations/", views.RelationListView.as_view(), name="relation_list"),
    path("relations/add/", views.RelationFormView.as_view(), name="relation_add"),
    path("relations/<int:pk>/", views.RelationDetailView.as_view(), name="relation"),
    path("relations/<int:pk>/edit/", views.RelationFormView.as_view(), name="relation_edit"),
    path("relations/<int:pk>/delete/", views.RelationDeleteView.as_view(), name="relation_delete"),
    path("health/", views.health, name="health"),
    path("graph/", views.graph_page, name="graph"),
    path("graph/data/", views.graph_data, name="graph_data"),
]
