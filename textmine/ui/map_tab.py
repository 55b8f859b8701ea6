"""*Kort*: the answers on a map, similar answers close together; a click on a point opens its theme on *Temaer*
(page.js puts the point's theme in the hidden box and clicks the hidden button)."""

from __future__ import annotations

import gradio as gr

from ..app import panels
from ..app.desk import Session
from ..app.page import page as page_of
from .boundary import on
from .parts import FAST


class MapTab:
    """The components of *Kort* (built inside its gr.Tab); `themes` (the ThemesTab) and `tabs` (the page's
    gr.Tabs) are where a clicked point's theme is opened."""

    def __init__(self, themes, tabs: gr.Tabs):
        self.themes, self.tabs = themes, tabs
        gr.Markdown("Svarene på et kort: svar, der ligner hinanden, ligger tæt. De største temaer har hver "
                    "sin farve, resten er grå. Hold musen over et punkt for at læse svaret; klik for at "
                    "åbne dets tema.")
        self.chart = gr.Plot(show_label=False, elem_id="map")
        with gr.Row(elem_classes=["tm-hidden"]):
            self.pick = gr.Textbox(elem_id="map-pick", show_label=False)
            self.go = gr.Button("Åbn temaet", elem_id="map-go")


def on_map(m: MapTab, s: Session):
    figure = panels.map_of(m.themes.desk, s)
    return gr.skip() if figure is None else figure


def on_map_pick(m: MapTab, s: Session, value):
    theme = int(str(value).split(":")[0])
    return {**m.themes.shown(page_of(m.themes.desk, s, full=False, select=theme)), m.tabs: gr.Tabs(selected="themes")}


def wire(m: MapTab, tab: gr.Tab) -> None:
    t = m.themes
    tab.select(on(on_map, m), [t.session], [m.chart])
    t.context.follow(m.go.click(on(on_map_pick, m), [t.session, m.pick], [*t.outputs, m.tabs], **FAST),
                     show_progress="hidden")
