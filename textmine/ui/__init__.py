"""The Gradio web app: the only package that imports gradio."""

from .gradio_start import prepare

prepare()                                   # before any tab imports gradio (gradio_start says why)
