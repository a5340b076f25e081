"""A throwaway Dovecot IMAP server on loopback, for tests and benchmarks that go through a real IMAP server.

    with Dovecot.start() as server:
        server.append(raw_bytes)            # IMAP APPEND into INBOX
        app.config.update(server.settings())  # TRACKER_IMAP_* pointing at it

Everything lives in a temporary folder: the configuration, base_dir and state_dir, the password file and the
mail. Dovecot runs as the `dovecot` user with `ssl = no` on 127.0.0.1 and a free port; nothing leaves loopback.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "foia"
PASSWORD = "imap-test-password"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = tracker-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 100
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def dovecot_binary() -> str | None:
    for candidate in (shutil.which("dovecot"), "/usr/sbin/dovecot"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """One running Dovecot with one user; `stop()` ends it and removes its folder."""

    def __init__(self, root: Path, port: int):
        self.root = root
        self.port = port
        self.host = "127.0.0.1"
        self.user = USER
        self.password = PASSWORD

    @classmethod
    def start(cls, timeout: float = 15.0) -> Dovecot:
        binary = dovecot_binary()
        if binary is None:
            raise RuntimeError("Dovecot is not installed: apt-get install dovecot-imapd (make test does it).")
        root = Path(tempfile.mkdtemp(prefix="tracker-dovecot-"))
        os.chmod(root, 0o755)  # the dovecot user reads its mail and state under here
        port = free_port()
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir()
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
        if os.geteuid() == 0:
            shutil.chown(root / "mail", "dovecot", "dovecot")
        server = cls(root, port)
        # Dovecot forks into the background: its output goes to a file, so no pipe is left open to wait on.
        with open(root / "start.log", "wb") as out:
            result = subprocess.run([binary, "-c", str(root / "dovecot.conf")], stdout=out, stderr=out,
                                    stdin=subprocess.DEVNULL, timeout=timeout)
        if result.returncode != 0:
            message = (root / "start.log").read_text(errors="replace")
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"Dovecot did not start: {message}")
        deadline = time.monotonic() + timeout
        while True:
            try:
                with contextlib.closing(socket.create_connection((server.host, port), timeout=1)):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                    server.stop()
                    raise RuntimeError(f"Dovecot did not listen on {port}: {log[-2000:]}") from None
                time.sleep(0.05)
        return server

    def __enter__(self) -> Dovecot:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def master_pid(self) -> int | None:
        pid_file = self.root / "run" / "master.pid"
        try:
            return int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        pid = self.master_pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)

    def settings(self, folder: str = "INBOX") -> dict:
        """The app settings that point the tracker at this server."""
        return {"TRACKER_IMAP_HOST": self.host, "TRACKER_IMAP_PORT": self.port, "TRACKER_IMAP_USER": self.user,
                "TRACKER_IMAP_PASSWORD": self.password, "TRACKER_IMAP_SSL": False, "TRACKER_IMAP_FOLDER": folder}

    def connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=30)
        client.login(self.user, self.password)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        """IMAP APPEND each message, unseen, into the folder (created when missing)."""
        client = self.connect()
        try:
            if folder != "INBOX":
                client.create(folder)
            for raw in messages:
                status, data = client.append(folder, None, None, raw)
                if status != "OK":
                    raise RuntimeError(f"APPEND failed: {data}")
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def uids(self, folder: str = "INBOX", criterion: str = "ALL") -> list[int]:
        client = self.connect()
        try:
            client.select(folder)
            _, data = client.uid("SEARCH", None, criterion)
            return [int(x) for x in (data[0] or b"").split()]
        finally:
            with contextlib.suppress(Exception):
                client.logout()


class FlakyProxy:
    """A TCP proxy on loopback in front of the IMAP server that can drop the connection after the server has
    sent `drop_after` bytes, or hold each answer back for `delay` seconds: a server that fails mid-fetch."""

    def __init__(self, target_port: int, *, drop_after: int | None = None, delay: float = 0.0):
        import threading

        self.target_port, self.drop_after, self.delay = target_port, drop_after, delay
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import threading

        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            sent = [0]
            threading.Thread(target=self._pipe, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, sent), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counter) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if counter is not None:
                    if self.delay:
                        time.sleep(self.delay)
                    if self.drop_after is not None and counter[0] + len(data) > self.drop_after:
                        sink.sendall(data[: max(self.drop_after - counter[0], 0)])
                        break
                    counter[0] += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()

    def stop(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.sock.close()
