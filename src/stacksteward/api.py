"""The one NinjaAPI. Each app mounts its Router here; auth and error handling live in core.api_support."""

from ninja import NinjaAPI, Schema, Swagger

from stacksteward.core.api_support import AUTH, install_error_handlers, require_api_user
from stacksteward.core.api_support.errors import control_character_of


class StewardAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # Operation ids double as URL names: list_components, get_component, create_component…
        return operation.view_func.__name__

    def validation_error_from_error_contexts(self, error_contexts):
        # django-ninja drops the rejected input from its errors; keep the control character a text
        # field refused (only that character), so the message can name it.
        found = []
        for context in error_contexts:
            for item in context.pydantic_validation_error.errors(include_url=False):
                found.append(control_character_of(item))
        error = super().validation_error_from_error_contexts(error_contexts)
        for item, char in zip(error.errors, found, strict=False):
            if char:
                item.setdefault("ctx", {})["character"] = char
        return error


api = StewardAPI(
    title="Stack Steward API",
    version="1",
    description=(
        "The martech stack catalog: departments, people, vendors, categories, components, relations, "
        "RACI, catalog health, impact, the audit log; intake (capabilities, requests and their workflow, backlog, "
        "roadmaps, iterations, milestones, schedule changes), change control (change requests with computed impact, "
        "conflicts, risk and approvals; freeze periods and events; change-control meetings and agendas), money and "
        "value (contracts and renewal decisions, tool selections and scorecards, objectives, KPIs and measurements, "
        "costs, budgets, value scores, investments and ROI), questions "
        "and answers on any object, and your notifications. Authenticate with `Authorization: Bearer <token>` "
        "(create one with `steward token create USERNAME` or in the UI) or a signed-in session. "
        "Errors always answer `{\"detail\": …, \"errors\": [{\"field\": …, \"message\": …}]}`."
    ),
    urls_namespace="api",
    auth=AUTH,
    docs_decorator=require_api_user,
    # Swagger UI from the files django-ninja installs (``ninja`` is an installed app, so its template and
    # static files are used, never a CDN); no validator badge, which would call validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)


class HealthOut(Schema):
    status: str


@api.get("/health", auth=None, tags=["health"], operation_id="health", response=HealthOut)
def health(request):
    """Liveness for load balancers: no authentication."""
    return {"status": "ok"}


def _mount():
    from stacksteward.catalog.api import router as catalog_router
    from stacksteward.changes.api import router as changes_router
    from stacksteward.core.api import router as core_router
    from stacksteward.finance.api import router as finance_router
    from stacksteward.intake.api import router as intake_router
    from stacksteward.org.api import router as org_router
    from stacksteward.stackcode.api import router as stackcode_router

    api.add_router("/", core_router)
    api.add_router("/", org_router)
    api.add_router("/", catalog_router)
    api.add_router("/", intake_router)
    api.add_router("/", changes_router)
    api.add_router("/", finance_router)
    api.add_router("/", stackcode_router)


_mount()
