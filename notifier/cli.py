"""The ``notifier`` command line. Subcommands live beside the code they drive and are imported
lazily, so ``notifier segment`` does not pay for Kafka, boto3 or aiohttp imports."""

from __future__ import annotations

import importlib
import logging
import sys
from typing import NoReturn

import click

from notifier import __version__

# name -> "module:attribute"; each module owns its command (thin wrappers over the core).
COMMANDS: dict[str, str] = {
    "run": "notifier.runtime.cli:run",
    "demo": "notifier.demo.cli:demo",
    "segment": "notifier.address.cli_segment:segment",
    "match": "notifier.address.cli_match:match",
    "preview": "notifier.campaigns.cli:preview",
    "ses-bridge": "notifier.tracking.cli:ses_bridge",
    "report": "notifier.reporting.cli:report",
    "buildings": "notifier.api.cli:buildings",
    "review": "notifier.api.cli:review",
    "serve": "notifier.api.cli:serve",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="notifier")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """Tell residents of quarantined buildings where their virtual pickup point is."""
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: errors become one clear line on stderr and a non-zero exit code."""
    try:
        result = cli.main(args=argv, prog_name="notifier", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)  # a bare group: its help, not an error line
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        # click's own form is four lines (usage, hint, blank, error); one line is enough.
        where = exc.ctx.command_path if exc.ctx else "notifier"
        click.echo(f"error: {exc.format_message()} (see '{where} --help')", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, no traceback
        logging.getLogger("notifier").debug("unhandled error", exc_info=True)
        click.echo(f"error: {type(exc).__name__}: {exc}".splitlines()[0][:500], err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
