"""A real HTTP server on 127.0.0.1 for tests, serving routes that a test defines.

Tests import it as ``from httpserver import LocalServer, Reply`` (pytest puts
the tests folder on ``sys.path`` since it has no ``__init__.py``)::

    with LocalServer({"/a": Reply(body=b"hello")}) as server:
        httpx.get(server.url("/a"))
        assert server.hits == ["/a"]

A route is a :class:`Reply` (a fixed answer) or a function that takes the
request handler and writes the answer itself (slow, endless or conditional
replies). Unknown paths get 404. Nothing ever listens beyond loopback.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """A fixed HTTP answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Route = Reply | Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    """Write *reply* with a Content-Length (usable from route functions too)."""
    handler.send_response(reply.status)
    handler.send_header("Content-Type", reply.content_type)
    handler.send_header("Content-Length", str(len(reply.body)))
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(reply.body)


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect to *location* (absolute or relative)."""
    return Reply(status=status, headers={"Location": location})


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (the name http.server looks for)
        self.server.record(self.path, dict(self.headers))
        route = self.server.routes.get(self.path) or self.server.routes.get(self.path.split("?")[0])
        if route is None:
            send(self, Reply(404, b"not found", "text/plain"))
        elif isinstance(route, Reply):
            send(self, route)
        else:
            route(self)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: pytest output is for test results."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.hits: list[str] = []
        self.request_headers: list[dict[str, str]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.hits.append(path)
            self.request_headers.append(headers)


class LocalServer:
    """Start a threaded server on a free loopback port; stop it on exit."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self._server = _Server(routes)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def hits(self) -> list[str]:
        """Paths requested so far, in order."""
        return list(self._server.hits)

    @property
    def request_headers(self) -> list[dict[str, str]]:
        """Headers of each request so far, in order."""
        return list(self._server.request_headers)

    @property
    def stopping(self) -> threading.Event:
        """Set when the server stops: slow routes wait on it so that shutdown is quick."""
        return self._server.stopping

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"
