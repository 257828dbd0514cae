"""The engine both runtimes drive: planning and the single email-job state machine.

Plain Python, no broker and no database: the embedded runtime (SQLite) and the Kafka
runtime (Faust agents over tables) fill in the narrow protocols of :mod:`notifier.engine.ports`
and call the same code. See the README's architecture section.
"""
