"""Fetch the jars of a pinned Apache Kafka release from Maven Central, cached."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

logger = logging.getLogger(__name__)

KAFKA_VERSION = "4.1.1"
SCALA_BINARY_VERSION = "2.13"

# Kafka's own code logs through slf4j 1.7, and the kafka_2.13 artifact ships no
# slf4j binding: without this one the broker log would stay empty. It routes into
# the log4j2 core that Kafka already depends on, at the same version.
LOG4J_SLF4J_VERSION = "2.24.3"

# Cold fetch of about 45 MB on a slow link; warm runs do not call Maven at all.
FETCH_TIMEOUT_S = 600.0

_POM_TEMPLATE = """\
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.phirewall.tests</groupId>
  <artifactId>kafka-broker-classpath</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_{scala}</artifactId>
      <version>{kafka}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>{log4j}</version>
    </dependency>
  </dependencies>
</project>
"""

_COMPLETE_MARKER = ".complete"


class JarFetchError(RuntimeError):
    """The Kafka jars could not be resolved from Maven Central."""


def cache_root() -> Path:
    """Return the folder that caches downloads between runs.

    `PHIREWALL_CACHE_DIR` wins, then `$XDG_CACHE_HOME/phirewall`, then
    `~/.cache/phirewall`.
    """
    override = os.environ.get("PHIREWALL_CACHE_DIR")
    if override:
        return Path(override)

    xdg_cache = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg_cache) if xdg_cache else Path.home() / ".cache"
    return base / "phirewall"


def jars_dir(version: str = KAFKA_VERSION) -> Path:
    """Return the folder holding the broker classpath of one Kafka release."""
    return cache_root() / f"kafka-{version}" / "libs"


def cached_classpath(version: str = KAFKA_VERSION) -> list[Path] | None:
    """Return the cached classpath of a release, or None when it is not cached."""
    libs = jars_dir(version)
    main_jar = libs / f"kafka_{SCALA_BINARY_VERSION}-{version}.jar"
    if not (libs / _COMPLETE_MARKER).is_file() or not main_jar.is_file():
        return None

    return sorted(libs.glob("*.jar"))


def fetch_kafka_jars(
    version: str = KAFKA_VERSION, *, timeout_s: float = FETCH_TIMEOUT_S
) -> list[Path]:
    """Return the broker classpath of a Kafka release, resolving it on a cache miss.

    Maven resolves `org.apache.kafka:kafka_2.13` with its runtime dependencies into
    a temporary folder, which then replaces the cache entry in one rename, so an
    interrupted fetch never leaves a half-filled cache.

    Raises:
        JarFetchError: Maven is missing, failed, or ran past `timeout_s`.
    """
    cached = cached_classpath(version)
    if cached is not None:
        logger.debug("kafka jars cached in %s", jars_dir(version))
        return cached

    mvn = shutil.which("mvn")
    if mvn is None:
        raise JarFetchError(
            "Maven (mvn) is not on PATH, and the Kafka jars are not cached in "
            f"{jars_dir(version)}; install Maven (Debian: apt-get install maven)"
        )

    target = jars_dir(version)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as tmp:
        staging = Path(tmp) / "libs"
        _run_maven(mvn, version, Path(tmp), staging, timeout_s)
        (staging / _COMPLETE_MARKER).write_text(version + "\n", encoding="utf-8")
        _publish(staging, target)

    classpath = cached_classpath(version)
    if classpath is None:
        raise JarFetchError(f"Maven finished but {target} holds no Kafka jars")

    logger.info(
        "kafka jars fetched: %d jars in %.1f s",
        len(classpath),
        time.monotonic() - started,
    )
    return classpath


def _run_maven(
    mvn: str, version: str, work_dir: Path, output_dir: Path, timeout_s: float
) -> None:
    pom = work_dir / "pom.xml"
    pom.write_text(
        _POM_TEMPLATE.format(
            scala=SCALA_BINARY_VERSION, kafka=version, log4j=LOG4J_SLF4J_VERSION
        ),
        encoding="utf-8",
    )
    command = [
        mvn,
        "--batch-mode",
        "--no-transfer-progress",
        "--file",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={output_dir}",
        # Test and provided dependencies of Kafka are not needed to run a broker.
        "-DincludeScope=runtime",
    ]
    try:
        result = subprocess.run(
            command,
            cwd=work_dir,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise JarFetchError(
            f"Maven did not resolve Kafka {version} within {timeout_s:.0f} s"
        ) from None

    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise JarFetchError(
            f"Maven failed (exit {result.returncode}) resolving "
            f"org.apache.kafka:kafka_{SCALA_BINARY_VERSION}:{version}:\n{tail}"
        )


def _publish(staging: Path, target: Path) -> None:
    if (target / _COMPLETE_MARKER).is_file():
        # A concurrent run published the same release first; keep its copy.
        return

    if target.exists():
        # Left over from an interrupted run of an older layout: replace it.
        shutil.rmtree(target)
    os.replace(staging, target)


def jar_version(classpath: list[Path]) -> str:
    """Return the Kafka version recorded in the kafka-clients jar of a classpath.

    Raises:
        JarFetchError: the classpath holds no kafka-clients jar.
    """
    for jar in classpath:
        if jar.name.startswith("kafka-clients-"):
            with zipfile.ZipFile(jar) as archive:
                text = archive.read("kafka/kafka-version.properties").decode()
            for line in text.splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "version":
                    return value.strip()

    raise JarFetchError("no kafka-clients jar with a version on the classpath")
