"""``python -m bilat`` runs the command-line interface."""

from bilat.cli import app

app(prog_name="bilat")
