"""The app's process made ready in the background while the first page is shown."""

from __future__ import annotations

from ..discovery.clustering import warm_up
from ..runtime import freeze_heap


def prepare_app_process() -> None:
    """Run in a background thread when the app starts: import BERTopic and plotly (the wave chart),
    compile UMAP, freeze the heap."""
    import bertopic  # noqa: F401  (the 6-10 s import the first discovery would otherwise pay)
    import plotly.graph_objects  # noqa: F401  (the first follow-up chart would pay ~1 s)

    warm_up()
    freeze_heap()
