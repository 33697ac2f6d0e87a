"""Small performance helpers shared by the apps."""

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building a large acyclic result.

    Building tens of thousands of small containers (an impact answer over thousands of
    components) triggers repeated full collections that rescan everything built so far; the
    result has no reference cycles, so reference counting frees it anyway. Measured on the
    stress stack: an impact answer of 6,300 rows goes from ~180 ms to ~80 ms.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
