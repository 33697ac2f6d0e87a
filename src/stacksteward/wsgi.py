import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stacksteward.settings")
application = get_wsgi_application()


def _settle() -> None:
    """Load the URL conf and the API schemas now, then move everything loaded at start-up into the
    garbage collector's permanent generation: it lives as long as the process, and scanning it again
    in every full collection costs each request milliseconds (measured in benchmarks/)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view and the API)
    gc.collect()
    gc.freeze()


_settle()
