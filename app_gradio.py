"""Start the textmine web app on the bundled demo survey (127.0.0.1:7860).

Usage: python app_gradio.py [--config data/survey.toml] [--host 127.0.0.1] [--port 7860]
"""

import sys

from textmine.cli import main

if __name__ == "__main__":
    sys.exit(main(["app", *sys.argv[1:]]))
