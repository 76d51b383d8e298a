"""The Typer app: the ``--version`` callback, error translation, and the command groups.

Library errors are turned into messages and exit codes in exactly one place,
:class:`BilatGroup`. The commands live in one module per group
(:mod:`~bilat.cli.build`, :mod:`~bilat.cli.query`, :mod:`~bilat.cli.export`,
:mod:`~bilat.cli.check`, :mod:`~bilat.cli.manage`), each adding its commands
through ``register(app)``; none of them imports this module. The app imports a
group's module only when one of its commands runs (or help lists them all):
``bilat timeline`` never loads the extraction commands.
"""

import gc
import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup

from bilat.cli.common import say
from bilat.errors import BilatError

if TYPE_CHECKING:
    from typer._click import Command, Context  # typer vendors click; these are its own


def _fail(error: BilatError) -> None:
    say(f"error: {error}", "bold red")


def _metavar(param: Any) -> str:
    """A name for the value a parameter takes, as ``gh`` and ``git`` write them."""
    desc = getattr(param, "type_descriptor", None)
    if getattr(param, "is_flag", False) or getattr(desc, "annotation", None) is bool:
        return ""
    if param.param_type_name == "argument":
        name = str(param.name).upper()
        return name[:-1] if param.nargs != 1 and name.endswith("S") else name
    if desc is not None and getattr(desc, "is_choice", False):
        longest: str = max(param.opts, key=len)
        return longest.lstrip("-").upper().replace("-", "_")
    if desc is not None and getattr(desc, "is_path", False):
        info = desc.parameter_info
        if not getattr(info, "file_okay", True):
            return "DIR"
        return "FILE" if not getattr(info, "dir_okay", True) else "PATH"
    annotation = getattr(desc, "annotation", None)
    if annotation in (int, int | None):
        return "N"
    return "TEXT"


def _choices_help(param: Any) -> None:
    """List a choice parameter's values in its help, where they wrap at word boundaries."""
    choices = [str(getattr(c, "value", c)) for c in param.type_descriptor.choices or ()]
    help_text = param.help or ""
    if choices and not any(choice in help_text for choice in choices):
        param.help = f"{help_text} One of: {', '.join(choices)}.".strip()


def readable_help(command: Any) -> Any:
    """Give every parameter of ``command`` a metavar that names its value (``FILE``,
    ``N``, ``COUNTRY``...) instead of a type name (``<bool>``, ``<list[str]>``), and
    usage pieces without braces: help reads like ``gh``'s. Idempotent."""
    if command is None or getattr(command, "_bilat_readable", False):
        return command
    help_option = command.get_help_option

    def quiet_help_option(ctx: "Context") -> Any:
        option = help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = quiet_help_option
    for param in getattr(command, "params", ()):
        if param.metavar is None:
            param.metavar = _metavar(param)
        if getattr(param, "type_descriptor", None) is not None and param.type_descriptor.is_choice:
            _choices_help(param)
        if getattr(param, "min", None) is not None or getattr(param, "max", None) is not None:
            low, high = param.min, param.max
            bound = f"at least {low}" if high is None else f"{low} to {high}"
            param.help = f"{param.help or ''} ({bound})".strip()
            param.min = param.max = None  # the type still checks the range; help says it
        if param.param_type_name == "argument":
            param.display_type_rich = lambda ctx: None  # the metavar says it
            piece = param.metavar.rstrip(".") + ("..." if param.nargs != 1 else "")
            piece = piece if param.required else f"[{piece}]"
            param.get_usage_pieces = lambda ctx, piece=piece: [piece]
    command._bilat_readable = True
    return command


class BilatGroup(TyperGroup):
    """The one place where library errors become messages and exit codes."""

    def get_params(self, ctx: "Context") -> Any:
        readable_help(self)  # here, once typer has added its completion options
        return super().get_params(ctx)

    def get_command(self, ctx: "Context", cmd_name: str) -> Any:
        return readable_help(super().get_command(ctx, cmd_name))

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


COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("extract", "dates", "text", "evaluate"), "build"),
    **dict.fromkeys(("timeline", "search", "show", "pairs", "countries", "stats"), "query"),
    **dict.fromkeys(("export", "chart"), "export"),
    **dict.fromkeys(("validate", "schema"), "check"),
    "store": "manage",
}
"""Each command, in the order help lists them, and the module of :mod:`bilat.cli` that
registers it (a test checks this against what the modules register)."""


class _LazyCommands(MutableMapping[str, "Command"]):
    """The app's commands by name: every name is known up front, and a command module
    is imported (and its commands built) when one of its commands is first looked up.

    Importing every module cost a query command about 10 ms; click and typer only
    ever reach commands through this mapping, so names, suggestions and help are
    unchanged.
    """

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> "Command":
        if name not in self._built:
            self._load(self._modules[name])
        return self._built[name]

    def _load(self, module_name: str) -> None:
        module = importlib.import_module(f"bilat.cli.{module_name}")
        group = typer.Typer()
        module.register(group)
        self._built.update(typer.main.get_group(group).commands)

    def __setitem__(self, name: str, command: "Command") -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**self._modules, **self._built})

    def __len__(self) -> int:
        return len({**self._modules, **self._built})


class _BilatApp(BilatGroup):
    """The ``bilat`` group: :class:`BilatGroup` with its commands loaded on demand."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(COMMAND_MODULES)


app = typer.Typer(
    name="bilat",
    cls=_BilatApp,
    no_args_is_help=True,
    add_completion=True,
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
