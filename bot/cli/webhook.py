"""Webhook mode: our own small tornado server, as PTB's "custom webhook bot" pattern has it.

PTB's `Updater.start_webhook` builds a tornado app with one route; we need a second one
(GET /healthz on the same port, for the reverse proxy and the monitoring), so updates are
received here and fed to the Application through `application.update_queue`:

    POST /<TCAG_WEBHOOK_PATH>   an update from Telegram; the X-Telegram-Bot-Api-Secret-Token
                                header must equal TCAG_WEBHOOK_SECRET, else 403 and nothing
                                is handled
    GET  /healthz               bot.health as JSON: 200 when healthy, 503 otherwise

Telegram only calls HTTPS URLs on ports 443, 80, 88 or 8443, so in production a reverse
proxy (nginx, Caddy) terminates TLS at TCAG_WEBHOOK_URL and forwards to
TCAG_WEBHOOK_LISTEN:TCAG_WEBHOOK_PORT (127.0.0.1:8443 by default).
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
from typing import Any

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.cli.health import gather_health
from bot.context import OpsApplication

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1024 * 1024  # an update is a few kilobytes; refuse anything silly


class _UpdateHandler(RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, ops: OpsApplication, secret: str) -> None:
        self.ops = ops
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(), self.secret.encode()):
            # Not Telegram (or a proxy that drops the header): nothing is handled.
            log.warning("webhook: refused a request without the right secret token")
            self._answer(403, {"ok": False, "description": "Forbidden"})
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.ops.bot) if isinstance(data, dict) else None
        except Exception:  # malformed JSON or not an update: never a crash
            update = None
        if update is None:
            log.warning("webhook: refused a request that is not an update")
            self._answer(400, {"ok": False, "description": "Bad Request: not an update"})
            return
        await self.ops.update_queue.put(update)
        log.debug("webhook: update %s queued", update.update_id)
        self._answer(200, {"ok": True})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class _HealthHandler(RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def initialize(self, ops: OpsApplication) -> None:
        self.ops = ops

    async def get(self) -> None:
        services = self.ops.services
        health = await gather_health(services.store, services.clock)
        self.set_status(200 if health.healthy else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(health.as_dict()))


def _log_request(handler: RequestHandler) -> None:
    # Paths and statuses only, at DEBUG: tornado's own access log would say every request.
    log.debug("%s %s → %s", handler.request.method, handler.request.path, handler.get_status())


class WebhookServer:
    """Bind first (so a busy port stops the start-up), then `start()` once the app runs."""

    def __init__(
        self, application: OpsApplication, *, listen: str, port: int, path: str, secret: str
    ) -> None:
        self._sockets = bind_sockets(port, address=listen, family=socket.AF_UNSPEC)
        self.host, self.port = self._sockets[0].getsockname()[:2]
        self.path = "/" + path.strip("/")
        routes = [
            (self.path, _UpdateHandler, {"ops": application, "secret": secret}),
            (HEALTH_PATH, _HealthHandler, {"ops": application}),
        ]
        self._http = HTTPServer(
            Application(routes, log_function=_log_request), max_body_size=MAX_BODY_BYTES
        )

        self._started = False

    def start(self) -> None:
        self._http.add_sockets(self._sockets)
        self._started = True

    async def stop(self) -> None:
        if not self._started:
            for sock in self._sockets:
                sock.close()
            return
        self._http.stop()
        await self._http.close_all_connections()
