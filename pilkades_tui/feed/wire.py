"""What the feed client and the command client share: hub URLs, the auth header,
and turning network failures into sentences for a duty officer (never with the token)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

from pilkades_tui import __version__

USER_AGENT = f"pilkades-tui/{__version__}"


class HubAddress:
    """A hub's base URL (http or https, maybe behind a path prefix) and its token."""

    def __init__(self, hub_url: str, token: str) -> None:
        parts = urlsplit(hub_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"hub URL must look like http://host:port, not {hub_url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"hub URL must not carry a query or fragment: {hub_url!r}")
        if any(char in token for char in "\r\n\0") or not token.isprintable():
            raise ValueError("the token holds characters that cannot travel in an HTTP header")
        self.scheme = parts.scheme
        self.netloc = parts.netloc
        self.prefix = parts.path.rstrip("/")
        self.base_url = urlunsplit((self.scheme, self.netloc, self.prefix, "", ""))
        self._token = token

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}", "User-Agent": USER_AGENT}

    def http_url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def feed_url(self, since: int) -> str:
        ws_scheme = "wss" if self.scheme == "https" else "ws"
        return urlunsplit((ws_scheme, self.netloc, f"{self.prefix}/v1/feed", f"since={since}", ""))

    def scrub(self, text: str) -> str:
        """Belt and braces: no sentence we show or store ever carries the token."""
        if self._token:
            text = text.replace(self._token, "***")
        return text


def hub_addresses(hub_url: str | Sequence[str], token: str) -> list[HubAddress]:
    """One hub URL, several separated by commas ("URL1,URL2"), or a list of them: the
    hubs of one shared log, tried in this order when one is lost."""
    urls = hub_url.split(",") if isinstance(hub_url, str) else list(hub_url)
    addresses = [HubAddress(url, token) for url in urls if url.strip()]
    if not addresses:
        raise ValueError("no hub URL given")
    return addresses


def quote_id(record_id: str) -> str:
    return quote(record_id, safe="")


def describe_network_error(error: BaseException, address: HubAddress) -> str:
    """One sentence saying why the hub could not be reached."""
    where = address.base_url
    if isinstance(error, httpx.ConnectTimeout | TimeoutError):
        text = f"the hub at {where} did not answer in time"
    elif isinstance(error, httpx.TimeoutException):
        text = f"the hub at {where} stopped answering mid-request"
    elif isinstance(error, ConnectionRefusedError):
        text = f"cannot reach the hub at {where} (connection refused: is it running?)"
    elif isinstance(error, httpx.ConnectError):
        reason = _root_reason(error)
        text = f"cannot reach the hub at {where} ({reason})"
    elif isinstance(error, httpx.RemoteProtocolError | ConnectionResetError | EOFError):
        text = f"the hub at {where} dropped the connection"
    elif isinstance(error, OSError):
        text = f"cannot reach the hub at {where} ({error.strerror or error})"
    else:
        text = f"cannot talk to the hub at {where} ({type(error).__name__}: {error})"
    return address.scrub(text)


def _root_reason(error: BaseException) -> str:
    cause: BaseException | None = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused: is it running?"
    text = str(error) or type(error).__name__
    if "refused" in text.lower():
        return "connection refused: is it running?"
    return text
