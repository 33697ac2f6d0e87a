"""The renewal brief of one contract, as a page and as a PDF (WeasyPrint).

Both answer 404 when the user may not see the contract (as for a missing one); the money in them
follows the money field group of ``policies.CONTRACTS``. The data comes from ``brief.brief_for``.
"""

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .brief import Brief, brief_for


def _brief_or_404(request, pk: int) -> Brief:
    brief = brief_for(request.user, pk)
    if brief is None:
        raise Http404("No such contract.")
    return brief


def _context(brief: Brief) -> dict:
    return {"brief": brief, "contract": brief.contract, "object": brief.contract,
            "title": f"Renewal brief: {brief.contract}", "lead_days": brief.lead_days}


@require_GET
def contract_brief(request, pk: int):
    brief = _brief_or_404(request, pk)
    response = TemplateResponse(request, "finance/brief.html", _context(brief))
    response["Cache-Control"] = "private, no-store"
    return response


def render_pdf(html: str) -> bytes:
    """HTML to PDF; nothing is fetched from outside (the template is self-contained: inline CSS and SVG)."""
    import weasyprint  # loads Pango: only when a PDF is asked for

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_filename(brief: Brief) -> str:
    contract = brief.contract
    return f"renewal-brief-{slugify(contract.vendor.name)}-{slugify(contract.reference)}-{brief.today:%Y-%m-%d}.pdf"


@require_GET
def contract_brief_pdf(request, pk: int):
    brief = _brief_or_404(request, pk)
    html = render_to_string("finance/brief_pdf.html", _context(brief), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, pdf_filename(brief))
    response["Cache-Control"] = "private, no-store"
    return response
