from django.urls import path

app_name = "stackcode"
urlpatterns: list = []
