"""The in-process Bot API (`LocalBotAPI`) served over HTTP on 127.0.0.1, with tornado.

End-to-end tests point `tcag run` at it through TELEGRAM_API_BASE_URL, so the real
process, PTB's HTTPXRequest and long polling are all exercised without Telegram.

Routes, as Telegram's own server has them:
    /bot<token>/<method>        POST or GET → `api.call(method, params, files)`
    /file/bot<token>/<path>     the bytes of a file the bot uploaded (else 404)
and, for manual runs only:
    POST /local/updates         a JSON update, queued for getUpdates (`api.push_update`)

Parameters arrive as PTB's HTTPXRequest sends them (`RequestData.json_parameters`):
form-encoded, or multipart when files are uploaded, every value a string that is JSON
except plain strings. `decode_params` turns them back into what `LocalRequest` passes in
process (ints, bools, dicts), so the two transports show LocalBotAPI the same params.

An injected timeout (`Fault(status=0)`, LocalBotAPI raises TimedOut) closes the
connection without an answer: httpx reports "Server disconnected without sending a
response" and PTB raises NetworkError, at once. With `hold_timeouts=<seconds>` the server
instead holds the request that long before closing, so a client whose read timeout is
shorter gets a genuine TimedOut (slower; use it when the distinction matters).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import socket
from collections.abc import Mapping
from typing import Any

from telegram.error import TimedOut
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.offline.bot_api import ApiError, LocalBotAPI

log = logging.getLogger(__name__)

# Free-text fields are never decoded: a message saying "[1, 2]" or "true" stays text.
_TEXT_FIELDS = frozenset({
    "text", "caption", "question", "explanation", "title", "description",
    "short_description", "name", "address", "first_name", "last_name", "custom_title",
    "payload", "start_parameter", "url", "emoji", "query", "switch_pm_text", "_file_name",
})  # fmt: skip
# Identifiers that are strings in the Bot API even when they look like numbers.
_STRING_IDS = frozenset({
    "file_id", "file_unique_id", "callback_query_id", "inline_query_id",
    "inline_message_id", "custom_emoji_id", "business_connection_id", "shipping_query_id",
    "pre_checkout_query_id", "message_effect_id", "gift_id", "web_app_query_id",
})  # fmt: skip
_INT_FIELDS = frozenset({
    "offset", "limit", "timeout", "duration", "width", "height", "length", "live_period",
    "heading", "proximity_alert_radius", "cache_time", "until_date", "open_period",
    "close_date", "member_limit", "expire_date", "star_count",
})  # fmt: skip
_FLOAT_FIELDS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_INT_RE = re.compile(r"^-?\d+$")
_FILE_ID_RE = re.compile(r"^(doc|photo)-(-?\d+)-(\d+)$")


def decode_value(name: str, value: str) -> Any:
    """One form field as PTB encoded it (JSON unless it was a plain string), decoded."""
    if name in _TEXT_FIELDS:
        return value
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if value in ("true", "false"):
        return value == "true"
    is_int_field = name in _INT_FIELDS or (name.endswith("_id") and name not in _STRING_IDS)
    if is_int_field and _INT_RE.match(value):
        return int(value)
    if name in _FLOAT_FIELDS:
        try:
            return float(value)
        except ValueError:
            return value
    return value


def decode_params(fields: Mapping[str, str]) -> dict[str, Any]:
    return {name: decode_value(name, value) for name, value in fields.items()}


def _request_fields(request: HTTPServerRequest) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Params and uploaded files from a query string, a form, multipart or a JSON body."""
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json") and request.body:
        body = json.loads(request.body)
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        query = {k: v[-1].decode() for k, v in request.query_arguments.items()}
        return {**decode_params(query), **body}, {}
    # tornado parses form-encoded and multipart bodies into `arguments` and `files`.
    fields = {name: values[-1].decode() for name, values in request.arguments.items()}
    params = decode_params(fields)
    files: dict[str, bytes] = {}
    for name, uploads in request.files.items():
        files[name] = uploads[0].body
        # As LocalRequest does: the first upload's file name, for sendDocument and the like.
        params.setdefault("_file_name", uploads[0].filename)
    return params, files


class _BotApiHandler(RequestHandler):
    SUPPORTED_METHODS = ("GET", "POST")

    def initialize(self, server: LocalServer) -> None:
        self.server = server
        self._call: asyncio.Task[Any] | None = None
        self._client_gone = False

    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def _answer(self, token: str, method: str) -> None:
        if self.server.token is not None and token != self.server.token:
            self._reply(ApiError(401, "Unauthorized").payload(), 401)
            return
        try:
            params, files = _request_fields(self.request)
        except ApiError as error:
            self._reply(error.payload(), error.status)
            return
        except ValueError:
            self._reply(ApiError(400, "Bad Request: malformed parameters").payload(), 400)
            return
        call = asyncio.ensure_future(self.server.api.call(method, params, files))
        self._call = call
        self.server.in_flight.add(call)
        call.add_done_callback(self.server.in_flight.discard)
        try:
            result = await call
        except asyncio.CancelledError:
            if self._client_gone or self.server.stopping:
                self._drop_connection()
                return
            raise
        except TimedOut:
            await self.server.hold()
            self._drop_connection()
            return
        except ApiError as error:
            self._reply(error.payload(), error.status)
            return
        except Exception:
            log.exception("local Bot API failed on %s", method)
            self._reply(ApiError(500, "Internal Server Error").payload(), 500)
            return
        self._reply({"ok": True, "result": result}, 200)

    def _reply(self, body: dict[str, Any], status: int) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def _drop_connection(self) -> None:
        """Close the socket with no answer: what a timed-out or vanished server looks like."""
        if not self._finished:
            self.detach().close()

    def on_connection_close(self) -> None:
        # The client gave up (PTB stopping its long poll, say): stop waiting on its behalf.
        self._client_gone = True
        if self._call is not None and not self._call.done():
            self._call.cancel()


class _FileHandler(RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def initialize(self, server: LocalServer) -> None:
        self.server = server

    def get(self, token: str, path: str) -> None:
        content = self.server.file_bytes(path)
        if content is None:
            self.set_status(404)
            self.finish({"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(content)


class _PushUpdateHandler(RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, server: LocalServer) -> None:
        self.server = server

    def post(self) -> None:
        update = json.loads(self.request.body)
        self.finish({"ok": True, "result": self.server.api.push_update(update)})


def _log_request(handler: RequestHandler) -> None:
    # tornado's access log would print URLs, and every Bot API URL carries the token.
    method = handler.request.path.rsplit("/", 1)[-1]
    log.debug("%s %s → %s", handler.request.method, method, handler.get_status())


class LocalServer:
    """A running HTTP front for one LocalBotAPI; `base_url` goes in TELEGRAM_API_BASE_URL."""

    def __init__(
        self,
        api: LocalBotAPI,
        sockets: list[socket.socket],
        *,
        token: str | None = None,
        hold_timeouts: float | None = None,
    ) -> None:
        self.api = api
        self.token = token
        self.hold_timeouts = hold_timeouts
        self.in_flight: set[asyncio.Task[Any]] = set()
        self.stopping = False
        self._stopped = asyncio.Event()
        self.host, self.port = sockets[0].getsockname()[:2]
        routes = [
            (r"/bot([^/]+)/([A-Za-z]+)", _BotApiHandler, {"server": self}),
            (r"/file/bot([^/]+)/(.+)", _FileHandler, {"server": self}),
            (r"/local/updates", _PushUpdateHandler, {"server": self}),
        ]
        self._http = HTTPServer(Application(routes, log_function=_log_request))
        self._http.add_sockets(sockets)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def file_bytes(self, path: str) -> bytes | None:
        """The upload behind a file id the local API handed out (getFile's file_path)."""
        match = _FILE_ID_RE.match(path)
        if match is None:
            return None
        message = self.api.messages.get((int(match.group(2)), int(match.group(3))))
        return message.file_bytes if message is not None else None

    async def hold(self) -> None:
        """Keep a timed-out request open for `hold_timeouts` seconds, or until stop()."""
        if self.hold_timeouts:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self.hold_timeouts)

    async def stop(self) -> None:
        """Stop listening, abandon calls still waiting (long polls), close every connection."""
        self.stopping = True
        self._stopped.set()
        self._http.stop()
        for task in list(self.in_flight):
            task.cancel()
        await self._http.close_all_connections()

    async def __aenter__(self) -> LocalServer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def start_local_server(
    api: LocalBotAPI,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    token: str | None = None,
    hold_timeouts: float | None = None,
) -> LocalServer:
    """Serve `api` on host:port (0 = a free port) in the running event loop.

    `token`, when given, is the only one accepted: others get 401, as from Telegram.
    """
    sockets = bind_sockets(port, address=host, family=socket.AF_INET)
    return LocalServer(api, sockets, token=token, hold_timeouts=hold_timeouts)


async def _serve_forever(port: int) -> None:
    api = LocalBotAPI()

    def show(call: Any, message: Any) -> None:
        if message is not None:
            print(f"→ chat {message.chat_id}: {message.plain[:200]!r}", flush=True)

    api.listeners.append(show)
    server = await start_local_server(api, port=port)
    print(f"Local Bot API at {server.base_url}  (TELEGRAM_API_BASE_URL)", flush=True)
    print(f"Push an update: curl -d @update.json http://127.0.0.1:{server.port}/local/updates")
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve an in-memory Bot API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args.port))


if __name__ == "__main__":
    main()
