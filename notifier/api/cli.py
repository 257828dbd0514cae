"""``notifier serve``, ``notifier buildings ...`` and ``notifier review ...``.

The CLI groups run the same operations as the HTTP API straight on the embedded runtime's
SQLite file, for ops without HTTP. Approved reviews and registrations queue emails; the next
``notifier run`` or a running ``notifier serve`` sends them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from notifier.config import Settings

_data_dir = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="State folder (default: $NOTIFIER_DATA_DIR or .notifier).",
)
_json_out = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


@contextmanager
def _runtime(data_dir: Path | None) -> Iterator[Any]:
    from notifier.runtime.wiring import open_runtime

    with open_runtime(_settings(data_dir), send=False) as runtime:
        yield runtime


def _run(action: Callable[[], Any]) -> Any:
    """Operation errors become one clear line and exit code 1."""
    from notifier.api.operations import OperationError

    try:
        return action()
    except OperationError as exc:
        raise click.ClickException(exc.message) from exc


def _echo(data: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)


# -- serve ---------------------------------------------------------------------------------


@click.command()
@click.option("--host", help="Listen address (default: $NOTIFIER_API_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: $NOTIFIER_API_PORT or 8080).")
@click.option("--send/--no-send", default=True, help="Send queued emails in the background.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between send runs.")
@_data_dir
def serve(
    host: str | None, port: int | None, send: bool, interval: float, data_dir: Path | None
) -> None:
    """Run the ops HTTP API (and the background sender) on the embedded runtime."""
    from aiohttp import web

    from notifier.api.app import make_app
    from notifier.config import InsecureDefaults, require_production_secrets
    from notifier.runtime.wiring import open_runtime

    settings = _settings(data_dir)
    try:
        require_production_secrets(settings, what="notifier serve")
    except InsecureDefaults as exc:
        raise click.ClickException(str(exc)) from exc
    with open_runtime(settings, send=send) as runtime:
        app = make_app(runtime, settings, dispatch=send, dispatch_interval=interval)
        web.run_app(
            app,
            host=host or settings.api_host,
            port=port or settings.api_port,
            access_log=None,  # request lines carry unsubscribe tokens: keep them out of logs
            print=lambda text: click.echo(text, err=True),
        )


# -- buildings -------------------------------------------------------------------------------


@click.group()
def buildings() -> None:
    """Register, update, lift and list quarantined buildings."""


def _details(
    name: str | None,
    city: str | None,
    locality: str | None,
    pincode: str | None,
    pickup_name: str | None,
    pickup_location: str | None,
    hours: str | None,
    instructions: str | None,
    aliases: tuple[str, ...] = (),
    brand: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        k: v
        for k, v in (
            ("name", name),
            ("city", city),
            ("locality", locality),
            ("pincode", pincode),
            ("brand", brand),
        )
        if v is not None
    }
    if aliases:
        body["aliases"] = list(aliases)
    pickup = {
        k: v
        for k, v in (
            ("name", pickup_name),
            ("location", pickup_location),
            ("hours", hours),
            ("instructions", instructions),
        )
        if v is not None
    }
    if pickup:
        body["pickup"] = pickup
    return body


def _detail_options(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(
            [
                click.option("--name", required=required, help="Building name."),
                click.option("--city", required=required),
                click.option("--locality"),
                click.option("--pincode", help="Six-digit PIN code."),
                click.option("--pickup-name", required=required, help="e.g. 'Society office'."),
                click.option(
                    "--pickup-location", required=required, help="Where residents collect."
                ),
                click.option("--hours", help="Opening hours of the pickup point."),
                click.option("--instructions", help="What residents should bring or do."),
                click.option(
                    "--alias",
                    "aliases",
                    multiple=True,
                    help="Another name of the building (repeatable).",
                ),
                click.option("--brand", help="The building's developer, e.g. 'Godrej'."),
            ]
        ):
            func = option(func)
        return func

    return wrap


def _result_line(verb: str, body: dict[str, Any]) -> str:
    building = body.get("building") or {}
    return (
        f"{verb} {building.get('building_id')} ({building.get('name')}, {building.get('city')}): "
        f"{body['emails_queued']} emails queued, {body['sent_to_review']} sent to review, "
        f"{body['emails_cancelled']} cancelled"
    )


@buildings.command("register")
@click.option("--id", "building_id", required=True, help="Building id (letters, digits, ._:-).")
@_detail_options(required=True)
@_json_out
@_data_dir
def register_cmd(building_id: str, as_json: bool, data_dir: Path | None, **details: Any) -> None:
    """Quarantine a building and open its pickup point."""
    from notifier.api import operations as ops

    body = {"building_id": building_id, **_details(**details)}
    with _runtime(data_dir) as runtime:
        result = _run(lambda: ops.register(runtime, body))
    verb = "registered" if result.created else "already quarantined, updated"
    _echo(result.body, as_json, _result_line(verb, result.body))


@buildings.command("update")
@click.option("--id", "building_id", required=True)
@_detail_options(required=False)
@_json_out
@_data_dir
def update_cmd(building_id: str, as_json: bool, data_dir: Path | None, **details: Any) -> None:
    """Change a quarantined building's details or pickup point (only the options given)."""
    from notifier.api import operations as ops

    changes = _details(**details)
    if not changes:
        raise click.UsageError("nothing to change: give at least one option")
    with _runtime(data_dir) as runtime:
        result = _run(lambda: ops.update(runtime, building_id, changes))
    _echo(result.body, as_json, _result_line("updated", result.body))


@buildings.command("lift")
@click.option("--id", "building_id", required=True)
@_json_out
@_data_dir
def lift_cmd(building_id: str, as_json: bool, data_dir: Path | None) -> None:
    """Lift a building's quarantine."""
    from notifier.api import operations as ops

    with _runtime(data_dir) as runtime:
        result = _run(lambda: ops.lift(runtime, building_id))
    _echo(result.body, as_json, _result_line("lifted", result.body))


@buildings.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include lifted quarantines.")
@_json_out
@_data_dir
def list_cmd(show_all: bool, as_json: bool, data_dir: Path | None) -> None:
    """List quarantined buildings."""
    from notifier.api import operations as ops

    with _runtime(data_dir) as runtime:
        items = ops.list_buildings(runtime, None if show_all else True)
    lines = [
        f"{b['building_id']}\t{b['name']}, {b['city']}\t"
        f"{'active' if b['active'] else 'lifted'}\tpickup: {b['pickup']['location']}"
        for b in items
    ]
    _echo(items, as_json, "\n".join(lines) or "no quarantined buildings")


# -- review ----------------------------------------------------------------------------------

_url = click.option(
    "--url",
    help="A Kafka worker's web server (e.g. http://worker:6066), with $NOTIFIER_API_TOKEN, "
    "instead of the embedded runtime's state.",
)
_wait = click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="With --url: wait until the worker's planner has applied the decision (a Kafka "
    "decision is asynchronous); --no-wait returns once the worker accepted it.",
)
_timeout = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="With --url --wait: seconds to wait for the decision to be applied.",
)


@click.group()
def review() -> None:
    """Decide the doubtful address matches (embedded runtime, or a Kafka worker with --url)."""


def _remote(action: Callable[[], Any]) -> Any:
    """A worker's refusal or absence becomes one clear line and exit code 1."""
    from notifier.api.remote_reviews import RemoteReviewError

    try:
        return action()
    except RemoteReviewError as exc:
        raise click.ClickException(str(exc)) from exc


@review.command("list")
@click.option(
    "--status",
    type=click.Choice(["open", "approved", "rejected", "obsolete", "all"]),
    default="open",
    show_default=True,
)
@_json_out
@_url
@_data_dir
def review_list(status: str, as_json: bool, url: str | None, data_dir: Path | None) -> None:
    """List review items."""
    if url:
        from notifier.api import remote_reviews

        token = _settings(data_dir).api_token
        items = _remote(lambda: remote_reviews.list_reviews(url, token, status))
    else:
        from notifier.api import operations as ops

        with _runtime(data_dir) as runtime:
            items = _run(lambda: ops.list_reviews(runtime, status))
    lines = [
        f"{i['review_id']}\t{i['building_id']}\tcustomer {i['customer_id']}\t"
        f"score {i['score']:.2f}\t{i['status']}\t{(i.get('explanation') or {}).get('reason', '')}"
        for i in items
    ]
    _echo(items, as_json, "\n".join(lines) or f"no {status} review items")


def _decide_remote(
    url: str, data_dir: Path | None, review_id: str, approve: bool, wait: bool, timeout: float
) -> tuple[dict[str, Any], str]:
    """The JSON body and the text line of a decision sent to a Kafka worker."""
    from notifier.api import remote_reviews

    token = _settings(data_dir).api_token
    accepted = _remote(lambda: remote_reviews.decide(url, token, review_id, approve))
    job_ids = [accepted["job_id"]] if accepted.get("job_id") else []
    wanted = "approved" if approve else "rejected"
    body: dict[str, Any] = {"review_id": review_id, "status": "accepted", "job_ids": job_ids}
    job = f" (email job {job_ids[0]})" if job_ids else ""
    if not wait:
        line = (
            f"{'approval' if approve else 'rejection'} of {review_id} accepted{job}: "
            "the route's planner applies it asynchronously (`notifier review list --url ... "
            "--status all` shows when)"
        )
        return body, line
    item = _remote(lambda: remote_reviews.wait_decided(url, token, review_id, timeout))
    if item is None:
        raise click.ClickException(
            f"the decision on {review_id} was accepted but not applied within {timeout:g} s "
            "(the route's planner may be catching up; see `notifier review list --url ... "
            "--status all`)"
        )
    if item["status"] != wanted:
        raise click.ClickException(f"review item {review_id} is {item['status']}, not {wanted}")
    body["status"] = wanted
    if approve:
        body["emails_queued"] = len(job_ids)
        return body, f"approved {review_id}: {len(job_ids)} email(s) queued{job}"
    return body, f"rejected {review_id}"


@review.command("approve")
@click.argument("review_id")
@_json_out
@_url
@_wait
@_timeout
@_data_dir
def review_approve(
    review_id: str,
    as_json: bool,
    url: str | None,
    wait: bool,
    timeout: float,
    data_dir: Path | None,
) -> None:
    """Confirm a match: the resident's email is queued."""
    _decide(review_id, True, as_json, url, wait, timeout, data_dir)


@review.command("reject")
@click.argument("review_id")
@_json_out
@_url
@_wait
@_timeout
@_data_dir
def review_reject(
    review_id: str,
    as_json: bool,
    url: str | None,
    wait: bool,
    timeout: float,
    data_dir: Path | None,
) -> None:
    """Reject a match: nobody is emailed."""
    _decide(review_id, False, as_json, url, wait, timeout, data_dir)


def _decide(
    review_id: str,
    approve: bool,
    as_json: bool,
    url: str | None,
    wait: bool,
    timeout: float,
    data_dir: Path | None,
) -> None:
    if url:
        body, line = _decide_remote(url, data_dir, review_id, approve, wait, timeout)
        _echo(body, as_json, line)
        return
    from notifier.api import operations as ops

    with _runtime(data_dir) as runtime:
        body = _run(lambda: ops.decide_review(runtime, review_id, approve=approve))
    if approve:
        _echo(body, as_json, f"approved {review_id}: {body['emails_queued']} email(s) queued")
    else:
        _echo({"review_id": review_id, "status": "rejected"}, as_json, f"rejected {review_id}")
