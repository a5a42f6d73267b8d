"""A real SMTP server for tests (aiosmtpd), run as its own process: every message becomes an .eml file.

    python -m tests.digest.smtp_sink --port PORT --out DIR [--delay SECONDS]

`--delay` makes each DATA command wait before it is accepted, so a test can kill a sender mid-send.
Start it with `SmtpSink.start()` (subprocess.Popen) and stop it by that handle.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from monitor.settings import PROJECT_ROOT


def free_port() -> int:
    """aiosmtpd's Controller(port=0) fails its self-check: take a free port from the OS first."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, out: Path, delay: float):
        self.out, self.delay = out, delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        name = f"{time.time_ns()}_{uuid.uuid4().hex[:6]}"
        part = self.out / f"{name}.part"
        part.write_bytes(envelope.original_content or envelope.content)
        part.rename(self.out / f"{name}.eml")
        return "250 OK"


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    controller = Controller(_Handler(out, args.delay), hostname="127.0.0.1", port=args.port)
    controller.start()
    stopped = False

    def stop(*_: Any) -> None:
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    while not stopped:
        time.sleep(0.1)
    controller.stop()


class SmtpSink:
    """The sink process and the messages it received."""

    def __init__(self, out: Path, delay: float = 0.0):
        self.out, self.delay, self.port = out, delay, free_port()
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> SmtpSink:
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.digest.smtp_sink",
                "--port",
                str(self.port),
                "--out",
                str(self.out),
                "--delay",
                str(self.delay),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def messages(self) -> list[EmailMessage]:
        files = sorted(self.out.glob("*.eml")) if self.out.exists() else []
        return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]  # type: ignore[misc]


if __name__ == "__main__":
    main()
