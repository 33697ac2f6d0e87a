from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

# core pages live at the site root (no namespace)
urlpatterns = [
    path("login/", login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:pk>/open/", views.audit_open, name="audit_open"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/ask/", views.question_ask_view, name="question_ask"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/answer/", views.question_answer_view, name="question_answer"),
    path("questions/<int:pk>/close/", views.question_close_view, name="question_close"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]
