"""The one error boundary of every event on the page: a refused action (TextmineError) is a Danish warning
and leaves the page as it was; anything unexpected is logged with its traceback and said in one line.
`on` binds a tab's module-level handler to its tab and puts it inside the boundary."""

from __future__ import annotations

import functools
import logging
import time

import gradio as gr

from ..errors import TextmineError

log = logging.getLogger("textmine.app")
UNEXPECTED = "Der skete en uventet fejl, og intet er ændret. Detaljerne står i terminalen, hvor appen kører."


def guarded(handler):
    """The one error boundary of every event: a refusal (TextmineError) becomes a Danish warning and the page
    stays exactly as it was (gr.skip); anything unexpected is logged with its traceback and shown in one line."""
    name = getattr(handler, "__name__", "handler")

    @functools.wraps(handler)
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return handler(*args, **kwargs)
        except TextmineError as exc:
            gr.Warning(str(exc), duration=8)
        except Exception:                                 # noqa: BLE001 (the boundary: log it, say it once)
            log.exception("unexpected error in %s", name)
            gr.Warning(UNEXPECTED, duration=10)
        finally:
            log.debug("%s took %.0f ms", name, 1000 * (time.perf_counter() - start))
        return gr.skip()
    return run


def bound(handler, *args):
    """`handler` with its first arguments (its tab, ...) given, named as the handler (gradio names the event
    after it, and the tests find a handler by that name)."""
    call = functools.partial(handler, *args)
    call.__name__ = handler.__name__
    call.__annotations__ = {name: gr.Request for name, hint in handler.__annotations__.items()   # gradio passes
                            if hint in ("gr.Request", gr.Request)}                                # the request by it
    return call


def on(handler, *args):
    """The event function of a tab's handler: its first arguments given (bound), inside the boundary."""
    return guarded(bound(handler, *args))
