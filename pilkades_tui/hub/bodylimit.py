"""Request bodies over the limit end in 413 before the app sees them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pilkades_tui.hub.errors import error_response

MAX_BODY_BYTES = 64 * 1024

FastPath = Callable[[Scope, bytes], Awaitable[Response | None]]


class BodyLimit:
    """Refuse request bodies over the limit with 413, chunked ones included: the body
    is read (up to the limit) before the app sees it, then handed over whole."""

    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, fast_path: FastPath | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.fast_path = fast_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await self._too_large(scope, receive, send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if self.fast_path is not None:
            answered = await self.fast_path(scope, body)
            if answered is not None:
                await answered(scope, receive, send)
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            "payload_too_large",
            f"request body over the limit of {self.limit} bytes",
            {"limit": self.limit},
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
