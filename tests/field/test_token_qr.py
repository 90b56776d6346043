"""`pilkades-tui token add NAME --role reporter --qr`: the field page's sign-in link
and its QR code in the terminal; the link signs a real phone browser in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno
from playwright.sync_api import Page

from pilkades_tui.cli import main
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.hub.tokens import TokenStore
from tests.field.phone import wait_home


def issue(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["token", "add", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_qr_and_link_carry_the_token_and_sign_the_phone_in(
    hub: HubServer, page: Page, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = issue(
        capsys, "HP-Bhabin-Kajen", "--role", "reporter", "--qr", "--hub-url", hub.url + "/",
        "--data", str(hub.data_dir),
    )  # fmt: skip
    assert code == 0
    token = lines[-1]  # the token stays the last line, as without --qr
    link = f"{hub.url}/lapor#token={token}"
    assert link in lines
    printed = "\n".join(lines[lines.index(link) - len(qr_lines(link)) : lines.index(link)])
    assert printed == "\n".join(qr_lines(link))
    assert any("loopback" in line for line in lines)  # a phone cannot reach 127.0.0.1
    page.goto(link)  # the link exactly as printed
    wait_home(page)
    assert "HP-Bhabin-Kajen" in page.inner_text("#who")


def qr_lines(link: str) -> list[str]:
    """The QR code of the link as segno draws it in a terminal (half-block characters)."""
    drawn = io.StringIO()
    segno.make(link, error="m").terminal(out=drawn, compact=True)
    return drawn.getvalue().splitlines()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--role", "viewer", "--qr"], "--role reporter"),
        (["--role", "reporter", "--qr", "--hub-url", "10.0.0.5:8765"], "--hub-url"),
    ],
)
def test_bad_qr_requests_exit_2_and_store_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    code, lines, err = issue(capsys, "HP-1", *argv, "--data", str(tmp_path))
    assert code == 2 and not lines
    assert says in err and "Traceback" not in err
    assert TokenStore(tmp_path).entries() == []
