from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("stacksteward.home.urls")),
    path("", include("stacksteward.core.urls")),
    path("org/", include("stacksteward.org.urls")),
    path("catalog/", include("stacksteward.catalog.urls")),
    path("intake/", include("stacksteward.intake.urls")),
    path("changes/", include("stacksteward.changes.urls")),
    path("finance/", include("stacksteward.finance.urls")),
    path("stackcode/", include("stacksteward.stackcode.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
