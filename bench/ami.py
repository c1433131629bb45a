"""`concord bench ami`: AMI parse throughput, ours vs panoramisk's, on the same byte stream.

The stream is the transcripts recorded from the real Asterisk (tests/fixtures/ami/*.ami: a
connect-to-agent call and every simulated outcome, ChanVariable headers and a UTF-8 caller name
included), repeated until it holds `events` messages, then cut into `chunk`-byte reads as a
socket would deliver them. Each parser is timed on one core, best of `rounds`. Panoramisk's
own `AMIProtocol.data_received` runs unmodified; only its dispatch is replaced by a counter,
as ours is (our parser has no dispatch). Target: at least 20,000 events/s.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dialer.ami import AmiParser

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "ami"
TARGET_EVENTS_PER_SECOND = 20_000


def recorded_stream(events: int) -> tuple[bytes, int]:
    """The recorded messages (banners dropped) repeated to at least `events`; (bytes, count)."""
    body = b""
    for path in sorted(FIXTURES.glob("*.ami")):
        data = path.read_bytes()
        body += data[data.index(b"\r\n") + 2 :]  # the banner line appears once per connection
    per_copy = body.count(b"\r\n\r\n")
    copies = -(-events // per_copy)
    return body * copies, per_copy * copies


def chunks(stream: bytes, size: int) -> list[bytes]:
    return [stream[i : i + size] for i in range(0, len(stream), size)]


def run_ours(reads: list[bytes]) -> int:
    parser = AmiParser()
    count = 0
    for data in reads:
        count += len(parser.feed(data))
    return count


def run_panoramisk(reads: list[bytes]) -> int:
    from panoramisk.ami_protocol import AMIProtocol

    counted = [0]

    class Counting(AMIProtocol):  # type: ignore[misc]
        def handle_message(self, message: Any) -> None:
            counted[0] += 1

    protocol = Counting()
    protocol.connection_made(transport=None)
    protocol.encoding = "utf-8"
    protocol.factory = type("Factory", (), {"save_stream": None})()
    protocol.queue = deque()
    for data in reads:
        protocol.data_received(data)
    return counted[0]


def best_rate(
    run: Callable[[list[bytes]], int], reads: list[bytes], rounds: int
) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(rounds):
        started = time.perf_counter()
        count = run(reads)
        best = min(best, time.perf_counter() - started)
    return count / best, count


def main(events: int = 200_000, chunk: int = 4096, rounds: int = 3) -> None:
    """Print messages/s of each parser on the recorded stream, side by side."""
    stream, expected = recorded_stream(events)
    reads = chunks(stream, chunk)
    print(f"AMI parse throughput: {expected} recorded messages, {len(stream) / 1e6:.1f} MB, "
          f"{chunk}-byte reads, best of {rounds}, one core")  # fmt: skip
    print(f"{'parser':<34}{'messages/s':>14}{'parsed':>10}{'vs target':>11}")
    for label, run in (
        ("concord dialer.ami (sans-IO)", run_ours),
        ("panoramisk 1.4 AMIProtocol", run_panoramisk),
    ):
        rate, count = best_rate(run, reads, rounds)
        print(f"{label:<34}{rate:>14,.0f}{count:>10}{rate / TARGET_EVENTS_PER_SECOND:>10.1f}x")
    print(f"target: >= {TARGET_EVENTS_PER_SECOND:,} events/s")


if __name__ == "__main__":
    main()
