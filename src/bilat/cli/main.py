"""The Typer app: the ``--version`` callback, error translation, and the command groups.

Library errors are turned into messages and exit codes in exactly one place,
:class:`BilatGroup`. The commands live in one module per group
(:mod:`~bilat.cli.build`, :mod:`~bilat.cli.query`, :mod:`~bilat.cli.export`,
:mod:`~bilat.cli.check`), each adding its commands through ``register(app)``;
none of them imports this module.
"""

import gc
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from bilat.cli import build, check, export, manage, query
from bilat.cli.common import say
from bilat.errors import BilatError

if TYPE_CHECKING:
    from typer._click import Context  # typer vendors click; this is its Context


def _fail(error: BilatError) -> None:
    say(f"error: {error}", "bold red")


class BilatGroup(TyperGroup):
    """The one place where library errors become messages and exit codes."""

    def invoke(self, ctx: "Context") -> Any:
        collecting = gc.isenabled()
        try:
            return super().invoke(ctx)
        except BilatError as error:
            _fail(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            say("interrupted", "yellow")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader stopped early (`bilat timeline --json | head`): not our error.
            # Point stdout at devnull so the interpreter's final flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        finally:
            if collecting:
                gc.enable()


app = typer.Typer(
    name="bilat",
    cls=BilatGroup,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from bilat import __version__

        sys.stdout.write(f"bilat {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn documents about relations between countries into a timeline of dated events."""


for group in (build, query, export, check, manage):
    group.register(app)
