"""Upload and confirm forms for the web import. They only check that the file can be read at all;
the importer checks its content and reports every error with its row or line."""

import io
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings

from stacksteward.core.forms import ErrorSummaryMixin

from .exporter import FORMATS
from .readers import EXTENSIONS

MAX_UPLOAD_BYTES = getattr(settings, "STEWARD_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def too_large(name: str) -> str:
    return (f"“{name}” is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; import it with the command "
            f"line instead: steward import {name}")


def check_upload(name: str, content: bytes) -> str | None:
    """Why the file cannot be imported at all (wrong type, empty, not UTF-8, broken workbook), or None."""
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        return (f"“{name}” is not a file type Stack Steward reads. Upload a stack file (.yaml, .yml), "
                f"a CSV file or a zip of CSV files (.csv, .zip), or an Excel workbook (.xlsx).")
    if not content or not content.strip():
        return f"“{name}” is empty."
    if len(content) > MAX_UPLOAD_BYTES:
        return too_large(name)
    if EXTENSIONS[suffix] == "yaml" or suffix == ".csv":
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return (f"“{name}” is not UTF-8 text. Save it again with the UTF-8 encoding "
                    f"(in Excel: “CSV UTF-8 (comma delimited)”).")
        return None
    if not zipfile.is_zipfile(io.BytesIO(content)):
        what = "Excel workbook" if EXTENSIONS[suffix] == "xlsx" else "zip file"
        return f"“{name}” is not a readable {what}; it may be damaged or of another type."
    if EXTENSIONS[suffix] == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                return f"“{name}” is not a readable Excel workbook; save it again as .xlsx."
    return None


class ImportUploadForm(ErrorSummaryMixin, forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A stack file exported from Stack Steward (YAML, CSV zip or XLSX), or your team's inventory "
                  "spreadsheet (CSV or XLSX, one row per tool). Nothing is written until you confirm.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(EXTENSIONS))}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large(upload.name))
        content = upload.read()
        problem = check_upload(upload.name, content)
        if problem:
            raise forms.ValidationError(problem)
        self.content = content
        return upload


class ImportConfirmForm(forms.Form):
    upload_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    sha256 = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS])
