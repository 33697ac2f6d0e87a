"""The one NinjaAPI. Each app mounts its Router here; auth and error handling live in core.api_support."""

from ninja import NinjaAPI

api = NinjaAPI(title="Stack Steward API", version="1", urls_namespace="api")


@api.get("/health", auth=None, tags=["health"], operation_id="health")
def health(request):
    """Liveness for load balancers: no authentication."""
    return {"status": "ok"}


def _mount():
    from stacksteward.catalog.api import router as catalog_router
    from stacksteward.core.api import router as core_router
    from stacksteward.org.api import router as org_router
    from stacksteward.stackcode.api import router as stackcode_router

    api.add_router("/", core_router)
    api.add_router("/", org_router)
    api.add_router("/", catalog_router)
    api.add_router("/", stackcode_router)


_mount()
