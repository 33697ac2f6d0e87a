from django.urls import path

from stacksteward.core.pages import page_urls

from . import views
from .resources import CALENDAR_EVENTS, CHANGE_REQUESTS, MEETING_SERIES, MEETINGS

app_name = "changes"
urlpatterns = [
    *page_urls(CHANGE_REQUESTS),
    path("preview/", views.change_preview, name="change_preview"),
    path("changes/<int:pk>/submit/", views.change_submit, name="change_submit"),
    path("changes/<int:pk>/transition/", views.change_transition, name="change_transition"),
    path("changes/<int:pk>/review/", views.change_review, name="change_review"),
    path("changes/<int:pk>/recompute/", views.change_recompute, name="change_recompute"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/feed/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:key>.ics", views.calendar_ics, name="calendar_ics"),
    *page_urls(CALENDAR_EVENTS),
    path("series/", views.series_list, name="series_list"),
    *page_urls(MEETING_SERIES),
    path("series/<int:pk>/schedule/", views.series_schedule, name="series_schedule"),
    *page_urls(MEETINGS),
    path("meetings/<int:pk>/decide/", views.meeting_decide, name="meeting_decide"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
]
