from django.urls import path

from . import views

app_name = "changes"
urlpatterns = [
    path("", views.ChangeListView.as_view(), name="change_list"),
    path("add/", views.ChangeFormView.as_view(), name="change_add"),
    path("preview/", views.change_preview, name="change_preview"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
    path("changes/<int:pk>/edit/", views.ChangeFormView.as_view(), name="change_edit"),
    path("changes/<int:pk>/delete/", views.ChangeDeleteView.as_view(), name="change_delete"),
    path("changes/<int:pk>/submit/", views.change_submit, name="change_submit"),
    path("changes/<int:pk>/transition/", views.change_transition, name="change_transition"),
    path("changes/<int:pk>/review/", views.change_review, name="change_review"),
    path("changes/<int:pk>/recompute/", views.change_recompute, name="change_recompute"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/feed/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:key>.ics", views.calendar_ics, name="calendar_ics"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/add/", views.EventFormView.as_view(), name="event_add"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path("events/<int:pk>/edit/", views.EventFormView.as_view(), name="event_edit"),
    path("events/<int:pk>/delete/", views.EventDeleteView.as_view(), name="event_delete"),
    path("series/", views.series_list, name="series_list"),
    path("series/add/", views.SeriesFormView.as_view(), name="series_add"),
    path("series/<int:pk>/", views.SeriesDetailView.as_view(), name="series"),
    path("series/<int:pk>/edit/", views.SeriesFormView.as_view(), name="series_edit"),
    path("series/<int:pk>/schedule/", views.series_schedule, name="series_schedule"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingFormView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/decide/", views.meeting_decide, name="meeting_decide"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
]
