"""Broker security from the stream settings (``NOTIFIER_KAFKA_SECURITY_PROTOCOL``, SASL user
and password, TLS files), for the Faust app and for the plain aiokafka clients beside it.

The app gets Faust credentials; every other client (``global_view``, ``review_index``, the SES
bridge's producer) gets the aiokafka arguments that Faust's own driver derives from the same
credentials (``credentials_to_aiokafka_auth``), so a secured cluster is reached the same way
by all of them.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer
from faust.auth import SASLCredentials, SSLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from faust.types.auth import CredentialsT

from notifier.streams.settings import StreamSettings


def ssl_context(settings: StreamSettings) -> ssl.SSLContext:
    """A client TLS context: the CA file (or the system's CAs), an optional client cert."""
    context = ssl.create_default_context(cafile=settings.kafka_ssl_cafile or None)
    context.check_hostname = settings.kafka_ssl_check_hostname
    if settings.kafka_ssl_certfile:
        context.load_cert_chain(
            settings.kafka_ssl_certfile, keyfile=settings.kafka_ssl_keyfile or None
        )
    return context


def broker_credentials(settings: StreamSettings) -> CredentialsT | None:
    """Faust's ``broker_credentials`` for the settings (None: plaintext)."""
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    if protocol == "SSL":
        return SSLCredentials(ssl_context(settings))
    return SASLCredentials(
        username=settings.kafka_sasl_username,
        password=settings.kafka_sasl_password.get_secret_value(),
        mechanism=settings.kafka_sasl_mechanism,
        # SASLCredentials is SASL_SSL exactly when it has a context
        ssl_context=ssl_context(settings) if protocol == "SASL_SSL" else None,
    )


def client_auth(
    credentials: CredentialsT | None, context: ssl.SSLContext | None = None
) -> dict[str, Any]:
    """aiokafka keyword arguments (``security_protocol``, ``ssl_context``, ``sasl_*``) for
    the credentials, as Faust's driver builds them for its own consumer and producer."""
    auth: Mapping[str, Any] = credentials_to_aiokafka_auth(credentials, context)
    return dict(auth)


def app_client_auth(app: Any) -> dict[str, Any]:
    """The aiokafka arguments of the Faust ``app``'s own clients."""
    return client_auth(app.conf.broker_credentials, app.conf.ssl_context)


def bootstrap_servers(app: Any) -> str:
    """The app's broker URLs as aiokafka's ``host:port,host:port``."""
    return ",".join(f"{url.host}:{url.port or 9092}" for url in app.conf.broker)


def reader_consumer(app: Any, *topics: str) -> AIOKafkaConsumer:
    """A consumer without a group that reads ``topics`` from the start (the changelog and
    review-items readers), reaching the brokers as the app's own clients do."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers(app),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        metadata_max_age_ms=5_000,
        **app_client_auth(app),
    )
