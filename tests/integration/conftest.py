"""Fixtures of the integration tests: one real Kafka broker for the session, and
fresh topics and a fresh consumer group for each test.

The broker starts once collection shows a selected test needs it, before any test
runs, so its start (and a first download of its jars) does not count against the
per-test timeout. Without a broker the tests fail in CI and skip elsewhere.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.support.kafka_broker import (
    NoBrokerError,
    RunningBroker,
    is_ci,
    start_test_broker,
)
from tests.support.kafka_client import KafkaScratch

logger = logging.getLogger(__name__)

BROKER_FIXTURE = "kafka_bootstrap"

# Holds the running broker, or the reason there is none.
_broker_key = pytest.StashKey[RunningBroker | str]()
# The broker's config, data and log: kept after a failed run, for its log.
_work_dir_key = pytest.StashKey[Path]()
_exit_status_key = pytest.StashKey[int]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the broker when a selected test needs it."""
    config = session.config
    if config.option.collectonly or _broker_key in config.stash:
        return
    if not any(_uses_broker(item) for item in session.items):
        return

    config.stash[_broker_key] = _start_broker(config)
    _report(config, _describe(config.stash[_broker_key]))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remember whether the run passed, to keep the broker log only if not."""
    session.config.stash[_exit_status_key] = exitstatus


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the broker after the last test and the summary."""
    state = config.stash.get(_broker_key, None)
    if isinstance(state, RunningBroker):
        state.stop()

    work_dir = config.stash.get(_work_dir_key, None)
    if work_dir is not None and config.stash.get(_exit_status_key, 1) == 0:
        shutil.rmtree(work_dir, ignore_errors=True)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Name the broker the tests ran against at the end of the run."""
    state = config.stash.get(_broker_key, None)
    if state is not None:
        terminalreporter.write_sep("-", "kafka broker")
        terminalreporter.write_line(_describe(state))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the tail of the broker log to each failed test that used it."""
    report = yield
    state = item.config.stash.get(_broker_key, None)
    uses_broker = _uses_broker(item)
    if report.failed and uses_broker and isinstance(state, RunningBroker):
        report.sections.append(("kafka broker log (tail)", state.log_tail()))
    return report


@pytest.fixture(scope="session")
def kafka_broker(pytestconfig: pytest.Config) -> RunningBroker:
    """Return the session's broker; fail in CI, skip elsewhere, when there is none."""
    state = pytestconfig.stash.get(_broker_key, None)
    if state is None:
        # Requested without collection seeing it (getfixturevalue): start now.
        state = pytestconfig.stash[_broker_key] = _start_broker(pytestconfig)

    if isinstance(state, str):
        if is_ci():
            pytest.fail(state, pytrace=False)
        pytest.skip(state)
    return state


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_broker: RunningBroker) -> str:
    """Return the bootstrap servers of the session's broker."""
    return kafka_broker.bootstrap_servers


@pytest.fixture(scope="session")
def kafka_admin(kafka_bootstrap: str) -> AdminClient:
    """Return an admin client of the session's broker."""
    return AdminClient({"bootstrap.servers": kafka_bootstrap})


@pytest.fixture
def kafka_scratch(
    kafka_bootstrap: str, kafka_admin: AdminClient, request: pytest.FixtureRequest
) -> Iterator[KafkaScratch]:
    """Return fresh topic names and a fresh consumer group for this test."""
    scratch = KafkaScratch.for_test(kafka_bootstrap, kafka_admin, request.node.name)
    yield scratch
    scratch.cleanup()


def _uses_broker(item: pytest.Item) -> bool:
    return BROKER_FIXTURE in getattr(item, "fixturenames", ())


def _start_broker(config: pytest.Config) -> RunningBroker | str:
    work_dir = Path(tempfile.mkdtemp(prefix="phirewall-kafka-"))
    config.stash[_work_dir_key] = work_dir
    try:
        return start_test_broker(work_dir)
    except NoBrokerError as exc:
        return str(exc)


def _describe(state: RunningBroker | str) -> str:
    if isinstance(state, RunningBroker):
        return f"kafka broker: {state.describe()}"
    return f"kafka broker: none. {state}"


def _report(config: pytest.Config, line: str) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)
    else:
        logger.info("%s", line)
