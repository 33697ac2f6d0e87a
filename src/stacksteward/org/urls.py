from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/add/", views.DepartmentFormView.as_view(), name="department_add"),
    path("departments/<slug:slug>/", views.DepartmentDetailView.as_view(), name="department"),
    path("departments/<slug:slug>/edit/", views.DepartmentFormView.as_view(), name="department_edit"),
    path("departments/<slug:slug>/delete/", views.DepartmentDeleteView.as_view(), name="department_delete"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/add/", views.PersonFormView.as_view(), name="person_add"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/edit/", views.PersonFormView.as_view(), name="person_edit"),
    path("people/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
