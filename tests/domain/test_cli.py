"""The command line: every subcommand parses; an unbuilt part says so and exits 2."""

from __future__ import annotations

import pytest

from pilkades_tui import cli


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for name in ("hub", "console", "demo", "simulate", "token", "report", "logbook"):
        assert name in out


def test_unbuilt_part_exits_2_with_a_plain_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["report"])
    args.run = "pilkades_tui.not_a_module:run"
    monkeypatch.setattr(cli, "build_parser", lambda: _Fixed(args))
    assert cli.main([]) == cli.EXIT_NOT_BUILT
    assert "not built yet" in capsys.readouterr().err


class _Fixed:
    def __init__(self, args: object) -> None:
        self.args = args

    def parse_args(self, argv: object) -> object:
        return self.args
