"""API for stack as code: ``GET /api/export`` (a file download) and ``POST /api/import`` (the report)."""

import json
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from stacksteward.core.api_support import ErrorItem, ErrorOut, errors
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.roles import has_role

from . import exporter
from .forms import check_upload
from .importer import import_file
from .report import ImportReport

router = Router(tags=["stack as code"])


class ImportIssueOut(ErrorItem):
    """One import error: ``field`` is the column or field (``file`` for the file as a whole),
    ``message`` the whole sentence with file, row or line, column and value."""

    file: str
    sheet: str | None = None
    row: int | None = Field(None, description="CSV/XLSX row, 1-based; the header is row 1.")
    line: int | None = Field(None, description="YAML line, 1-based.")
    column: str | None = None
    value: Any = None
    problem: str = Field(..., description="The message without the location.")


class ImportErrorOut(ErrorOut):
    errors: list[ImportIssueOut] = Field(default_factory=list)


class FieldChangeOut(Schema):
    before: Any = None
    after: Any = None


class ImportItemOut(Schema):
    key: str = Field(..., description="The entry's natural key: a slug, an email, “from → to (type)”…")
    fields: dict[str, FieldChangeOut] | None = Field(None, description="For a change: each field before → after.")
    note: str | None = None


class ImportWarningOut(Schema):
    file: str
    sheet: str | None = None
    row: int | None = None
    line: int | None = None
    column: str | None = None
    message: str
    text: str = Field(..., description="The message with its file and row or line.")


class ImportSuggestionOut(Schema):
    name: str = Field(..., description="The tool name as written in the file.")
    match: str = Field(..., description="The name of the catalog's component it looks like.")
    match_key: str = Field(..., description="That component's slug: send it in ``matches`` to use it.")
    score: int = Field(..., description="How alike the names are, 0–100 (85 or more is suggested).")
    row: int | None = None
    column: str | None = None
    accepted: bool = Field(..., description="The import used the component (it was in ``matches``).")
    text: str


class ImportReportOut(Schema):
    file: str
    format: str
    dry_run: bool
    ok: bool
    nothing_to_change: bool
    counts: dict[str, dict[str, int]] = Field(..., description="created / changed / unchanged → section → count")
    created: dict[str, list[ImportItemOut]]
    changed: dict[str, list[ImportItemOut]]
    unchanged: dict[str, list[ImportItemOut]]
    errors: list[ImportIssueOut]
    notes: list[str]
    warnings: list[ImportWarningOut] = Field(..., description="Read and imported, but worth a look (extra cells).")
    suggestions: list[ImportSuggestionOut] = Field(
        ..., description="Inventory spreadsheets: names not in the catalog that look like a component that is.")
    columns_matched: dict[str, str] = Field(..., description="Inventory spreadsheets: column header → field read.")
    columns_ignored: list[str]
    summary: list[str]


def _issue(issue) -> dict:
    data = issue.as_dict()
    data["problem"] = data["message"]
    data["field"] = issue.column or issue.field or "file"
    data["message"] = str(issue)
    return data


def report_out(report: ImportReport) -> dict:
    data = report.as_dict()
    data["errors"] = [_issue(e) for e in report.errors]
    data["summary"] = report.summary_lines()
    return data


_DOWNLOAD = {
    "description": "The export file: YAML, a zip of one CSV file per section, or an XLSX workbook.",
    "content": {
        exporter.CONTENT_TYPES["yaml"]: {"schema": {"type": "string"}},
        exporter.CONTENT_TYPES["csv"]: {"schema": {"type": "string", "format": "binary"}},
        exporter.CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
    },
}


@router.get("/export", response=errors(401, 422), openapi_extra={"responses": {"200": _DOWNLOAD}},
            summary="Export the whole stack")
def export_stack(request, format: Literal["yaml", "csv", "xlsx"] = "yaml"):
    """The whole stack as a file in the stack-as-code format (``apiVersion: stacksteward/v1``).

    Deterministic: the same stack always gives the same bytes. Any signed-in role may export; for someone who
    may not see all money (admins and finance, procurement and legal people may), components' ``annual_cost``,
    contracts' ``annual_value`` and ``payment_terms``, budgets' ``amount`` and cost entries' ``amount`` and
    ``hours`` are left out (columns and fields absent).
    """
    content = exporter.export_stack(format, for_user=request.auth)
    response = HttpResponse(content, content_type=exporter.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{exporter.FILE_NAMES[format]}"'
    return response


@router.post("/import", response={200: ImportReportOut, 401: ErrorOut, 403: ErrorOut, 422: ImportErrorOut},
             summary="Import a stack file or an inventory spreadsheet")
def import_stack(request, file: File[UploadedFile], dry_run: Form[bool] = False, matches: Form[str] = ""):
    """Import a stack file (YAML, CSV zip, XLSX) or an inventory spreadsheet (CSV, XLSX). Editors only.

    All or nothing: with any error, nothing is written and the answer is 422 listing every error
    with its file, row or line, column or field, and value. ``dry_run=true`` writes nothing and
    reports exactly what the import would create, change and leave unchanged.

    Inventory spreadsheets: a tool name that is not in the catalog but looks like a component that is comes
    back in ``suggestions`` with a match score; send ``matches`` (a JSON object, name as written → the
    component's slug, e.g. ``{"Salesforce": "salesforce-sales-cloud"}``) to use those components instead of
    creating new ones.
    """
    if not has_role(request.user, "editor"):
        raise PermissionDenied("Importing needs the editor role.")
    try:
        chosen = json.loads(matches) if matches.strip() else {}
    except ValueError:
        chosen = None
    if not isinstance(chosen, dict) or not all(isinstance(v, str) for v in chosen.values()):
        item = {"field": "matches", "message": "matches must be a JSON object of names to component slugs, "
                                                "such as {\"Salesforce\": \"salesforce-sales-cloud\"}.",
                "file": file.name or "", "problem": "not a JSON object of names to slugs"}
        return Status(422, {"detail": item["message"], "errors": [item]})
    content = file.read()
    problem = check_upload(file.name or "upload", content)
    if problem:
        item = {"field": "file", "message": problem, "file": file.name or "", "problem": problem}
        return Status(422, {"detail": problem, "errors": [item]})
    report = import_file(file.name, content, actor=request.user, dry_run=dry_run, source=AuditSourceChoices.IMPORT,
                         matches=chosen)
    if not report.ok:
        n = len(report.errors)
        detail = f"{file.name} has {n} error{'s' if n != 1 else ''}; nothing was imported."
        return Status(422, {"detail": detail, "errors": [_issue(e) for e in report.errors]})
    return report_out(report)
