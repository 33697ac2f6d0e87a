"""Web pages for stack as code: export downloads for everyone, and upload → preview → confirm for editors.

The uploaded file is kept server-side between the preview and the confirmation — in the session,
which lives in the database, so any web process can confirm it — under a random id with its
SHA-256; the confirmation re-runs the import for real from exactly those bytes.
"""

import base64
import datetime
import hashlib
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stacksteward.core import display
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.roles import has_role

from . import registry
from .exporter import CONTENT_TYPES, FILE_NAMES, FORMATS, export_stack, sees_all_money
from .forms import ImportConfirmForm, ImportUploadForm
from .importer import import_file
from .report import SECTION_NOUNS, ImportReport

SESSION_KEY = "stackcode_upload"
SHOW_ITEMS = 200  # created/unchanged entries listed per section on the page


def _require_editor(request) -> None:
    if not has_role(request.user, "editor"):
        raise PermissionDenied("Importing needs the editor role.")


def report_context(report: ImportReport) -> dict:
    """The report arranged for the page: one row per section, the field changes, the created entries."""
    sections = []
    for section, (_one, many) in SECTION_NOUNS.items():
        counts = [len(report.created.get(section, [])), len(report.changed.get(section, [])),
                  len(report.unchanged.get(section, []))]
        if any(counts):
            sections.append({"name": many, "created": counts[0], "changed": counts[1], "unchanged": counts[2],
                             "created_items": report.created.get(section, [])[:SHOW_ITEMS],
                             "more_created": max(0, counts[0] - SHOW_ITEMS)})
    labels: dict = {}  # related models' names, asked once per page
    changes = []
    for section, items in report.changed.ordered():
        model = getattr(registry.SECTIONS.get(section), "model", None)
        for change in items:
            for name, (before, after) in change.fields.items():
                changes.append({"section": SECTION_NOUNS[section][0], "key": change.key,
                                "field": display.field_label(model, name),
                                "before": display.readable(model, name, before, labels=labels),
                                "after": display.readable(model, name, after, labels=labels)})
    return {"report": report, "sections": sections, "field_changes": changes,
            "summary": report.summary_lines(details=False)}


@require_GET
def index(request):
    formats = [{"value": f, "label": f.upper(), "file": FILE_NAMES[f]} for f in FORMATS]
    return render(request, "stackcode/index.html", {"formats": formats, "title": "Import and export",
                                                    "all_money": sees_all_money(request.user)})


@require_GET
def export(request):
    fmt = request.GET.get("format", "yaml").lower()
    if fmt not in FORMATS:
        messages.error(request, f"“{fmt}” is not an export format; choose YAML, CSV or XLSX.")
        return redirect("stackcode:index")
    content = export_stack(fmt, for_user=request.user)  # without the right to see all money, money is left out
    stem, ext = FILE_NAMES[fmt].split(".")
    name = f"{stem}-{datetime.date.today():%Y-%m-%d}.{ext}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _preview(request, stored: dict, form=None):
    """Dry-run the stored upload with its confirmed matches and show the preview page."""
    content = base64.b64decode(stored["content"])
    report = import_file(stored["name"], content, actor=request.user, dry_run=True,
                         source=AuditSourceChoices.IMPORT, matches=stored["matches"])
    stored["suggested"] = [[s.name, s.match_key] for s in report.suggestions]
    request.session[SESSION_KEY] = stored
    context = {"title": "Import", "file_name": stored["name"], "form": form or ImportUploadForm(),
               **report_context(report)}
    if report.ok and (not report.nothing_to_change or report.suggestions):
        context["confirm_form"] = ImportConfirmForm(initial={"upload_id": stored["id"], "sha256": stored["sha256"]})
    return render(request, "stackcode/import.html", context)


@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a file and show the dry-run report: what would be created, changed and left alone."""
    _require_editor(request)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = form.content
            stored = {
                "id": secrets.token_urlsafe(16), "name": upload.name, "sha256": hashlib.sha256(content).hexdigest(),
                "user": request.user.pk, "content": base64.b64encode(content).decode("ascii"), "matches": {},
            }
            return _preview(request, stored)
    else:
        form = ImportUploadForm()
    return render(request, "stackcode/import.html", {"title": "Import", "form": form})


def _ticked_matches(request, stored: dict) -> dict[str, str]:
    """The suggestions ticked in the preview: {name as written: component slug}."""
    suggested = stored.get("suggested", [])
    ticked = {int(i) for i in request.POST.getlist("match") if i.isdigit() and int(i) < len(suggested)}
    return {suggested[i][0]: suggested[i][1] for i in sorted(ticked)}


@require_POST
def import_confirm(request):
    """Run the previewed import for real, from the bytes kept since the preview."""
    _require_editor(request)
    form = ImportConfirmForm(request.POST)
    stored = request.session.get(SESSION_KEY)
    if (
        not form.is_valid() or not stored or stored.get("id") != form.cleaned_data["upload_id"]
        or stored.get("user") != request.user.pk
    ):
        messages.error(request, "That upload has expired or was replaced by another one. Upload the file again.")
        return redirect("stackcode:import")
    content = base64.b64decode(stored["content"])
    digest = hashlib.sha256(content).hexdigest()
    if digest != stored["sha256"] or digest != form.cleaned_data["sha256"]:
        messages.error(request, "The file is not the one you previewed. Upload it again and check the preview.")
        return redirect("stackcode:import")
    ticked = _ticked_matches(request, stored)
    if request.POST.get("action") == "preview" or ticked != stored.get("matches", {}):
        # the import must be the one previewed: other matches than last time mean another preview first
        stored["matches"] = ticked
        messages.info(request, "The preview now uses the matches you ticked. Check it, then import.")
        return _preview(request, stored)
    report = import_file(stored["name"], content, actor=request.user, dry_run=False,
                         source=AuditSourceChoices.IMPORT, matches=stored.get("matches", {}))
    if report.ok:
        del request.session[SESSION_KEY]
    context = {"title": "Import finished" if report.ok else "Import failed", "file_name": stored["name"],
               "import_url": reverse("stackcode:import"), **report_context(report)}
    return render(request, "stackcode/import_done.html", context)
