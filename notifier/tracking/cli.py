"""``notifier ses-bridge``: SES event publishing (SNS → SQS) into tracking."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click

from notifier.config import Settings


@click.command("ses-bridge")
@click.option("--queue-url", required=True, help="The SQS queue the SNS topic delivers to.")
@click.option("--max-messages", type=click.IntRange(min=1), help="Stop after this many.")
@click.option("--once", is_flag=True, help="Stop when the queue is empty.")
@click.option(
    "--endpoint-url",
    envvar="NOTIFIER_SQS_ENDPOINT",
    help="SQS endpoint (a local moto server); default: AWS.",
)
@click.option("--region", help="AWS region (default: $NOTIFIER_SES_REGION).")
@click.option(
    "--kafka",
    is_flag=True,
    help="Publish to the Kafka runtime's ses-events topic ($NOTIFIER_KAFKA_BROKER, "
    "$NOTIFIER_TOPIC_PREFIX) instead of the embedded runtime's state.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="State folder (default: $NOTIFIER_DATA_DIR or .notifier).",
)
def ses_bridge(
    queue_url: str,
    max_messages: int | None,
    once: bool,
    endpoint_url: str | None,
    region: str | None,
    kafka: bool,
    data_dir: Path | None,
) -> None:
    """Record SES events from an SQS queue; each message is deleted once it is recorded
    (in the embedded runtime's state, or with --kafka on the Kafka runtime's topic)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from notifier.runtime.wiring import open_runtime
    from notifier.tracking.ingest import Tracker
    from notifier.tracking.sqs_bridge import RecordSink, run_bridge

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    sqs = boto3.client("sqs", endpoint_url=endpoint_url, region_name=region or settings.ses_region)
    with ExitStack() as stack:
        if kafka:
            from notifier.streams.broker_security import broker_credentials, client_auth
            from notifier.streams.settings import get_stream_settings
            from notifier.tracking.kafka_sink import KafkaRecordSink

            stream_settings = get_stream_settings()
            try:
                # TLS / SASL as the workers reach the brokers (the same settings)
                auth = client_auth(broker_credentials(stream_settings))
                sink: RecordSink = stack.enter_context(
                    KafkaRecordSink(settings.kafka_broker, stream_settings.topic_prefix, auth)
                )
            except Exception as exc:
                raise click.ClickException(f"Kafka unreachable: {exc}"[:300]) from exc
        else:
            runtime = stack.enter_context(open_runtime(settings, send=False))
            sink = Tracker.for_runtime(runtime)
        try:
            stats = run_bridge(sqs, queue_url, sink, max_messages=max_messages, once=once)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
            return
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise click.ClickException(
                f"SQS refused: {error.get('Code', '?')}: {error.get('Message', '')}"[:300]
            ) from exc
        except BotoCoreError as exc:
            raise click.ClickException(f"SQS unreachable: {exc}"[:300]) from exc
    t = stats.tracking
    click.echo(
        f"{stats.received} SQS messages: {t.recorded} events recorded, {t.duplicates} duplicates, "
        f"{t.invalid} dead-lettered, {t.suppressed} addresses suppressed, "
        f"{stats.deleted} deleted, {stats.kept} left for redelivery"
    )
