from django.urls import path

from stacksteward.core.pages import page_urls

from . import views
from .resources import BACKLOG_ITEMS, CAPABILITIES, ITERATIONS, MILESTONES, REQUESTS, ROADMAPS

app_name = "intake"
urlpatterns = [
    *page_urls(CAPABILITIES),
    path("requests/mine/", views.MyRequestListView.as_view(), name="request_mine"),
    path("requests/lead-time/", views.request_lead_time_check, name="request_lead_time"),
    *page_urls(REQUESTS),
    path("requests/<int:pk>/respond/", views.RequestRespondView.as_view(), name="request_respond"),
    path("requests/<int:pk>/transition/", views.request_transition, name="request_transition"),
    path("requests/<int:pk>/reschedule/", views.request_reschedule, name="request_reschedule"),
    path("requests/<int:pk>/watch/", views.request_watch, name="request_watch"),
    *page_urls(BACKLOG_ITEMS),
    path("backlog/<int:pk>/plan/", views.backlog_item_plan, name="backlog_item_plan"),
    *page_urls(ROADMAPS),
    *page_urls(ITERATIONS),
    *page_urls(MILESTONES),
    path("schedule-changes/", views.ScheduleChangeListView.as_view(), name="schedule_change_list"),
]
