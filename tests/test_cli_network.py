"""Commands that use the network: offline they stop at once with one clear line (or a JSON error).

``requests.Session`` is replaced by a session that fails the way requests
does without a network (a ConnectionError wrapping urllib3's
NameResolutionError), so every collector, praw's included, meets it.
"""

from __future__ import annotations

import json
import socket

import pytest
import requests
import urllib3.exceptions

from attention.cli import main


def _no_dns(url):
    host = url.split("/")[2]
    reason = urllib3.exceptions.NameResolutionError(host, None, socket.gaierror(-3, "Temporary failure in name "
                                                                                  "resolution"))
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, url, reason))


class Offline:
    """What ``requests.Session()`` gives without a network; logs each call and its timeout."""

    calls: list = []

    def __init__(self):
        self.headers = {}

    def request(self, method, url, **kwargs):
        Offline.calls.append((method.upper(), url, kwargs.get("timeout")))
        raise _no_dns(url)

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def close(self):
        pass

    def mount(self, *args):
        pass


@pytest.fixture
def offline(monkeypatch):
    Offline.calls = []
    monkeypatch.setattr(requests, "Session", Offline)
    return Offline.calls


COMMANDS = {
    "trends": (["collect", "trends", "AI stocks", "--start", "2025-12-01", "--end", "2026-01-15"],
               "trends.google.com", "google_trends"),
    "reddit": (["collect", "reddit", "--start", "2026-01-05", "--end", "2026-01-06"],
               "arctic-shift.photon-reddit.com", "reddit"),
    "run google": (["run", "--no-reddit", "--start", "2025-01-01", "--end", "2026-01-15", "--surrogates", "9"],
                   "trends.google.com", "google_trends"),
    "run reddit": (["run", "--no-google", "--start", "2025-01-01", "--end", "2026-01-15", "--surrogates", "9"],
                   "arctic-shift.photon-reddit.com", "reddit"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_offline_commands_fail_at_once_with_one_line(command, offline, tmp_path, capsys):
    argv, host, _ = COMMANDS[command]
    out = ["--out", str(tmp_path / "report")] if argv[0] == "run" else ["--no-progress"]
    assert main([*argv, "--store", str(tmp_path / "s.sqlite"), *out]) == 2
    captured = capsys.readouterr()
    last = captured.err.splitlines()[-1]  # `run` draws a progress bar above it
    assert last.startswith(f"attention: error: cannot reach {host}: no network?")
    assert captured.err.count("attention:") == 1 and "Traceback" not in captured.err  # one line
    assert "in the store" not in last and "rerun" not in last  # nothing was fetched
    assert captured.out == ""
    assert len(offline) == 1  # no retry, no backoff


@pytest.mark.parametrize("command", list(COMMANDS))
def test_offline_json_errors_are_a_json_object_on_stdout(command, offline, tmp_path, capsys):
    argv, host, source = COMMANDS[command]
    assert main([*argv, "--store", str(tmp_path / "s.sqlite"), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "ConnectionFailedError" and error["source"] == source
    assert error["message"].startswith(f"cannot reach {host}: no network?")
    assert error["url"].startswith(f"https://{host}/") and "?" not in error["url"]


def test_praw_offline_fails_within_seconds(offline, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("praw_client_id", "abcd1234")
    monkeypatch.setenv("praw_client_secret", "s3cr3t-value")
    monkeypatch.setenv("praw_user_agent", "market-attention tests")
    assert main(["collect", "reddit", "--backend", "praw", "--start", "2026-01-05", "--no-store",
                 "--no-progress", "--json"]) == 2
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert error["type"] == "ConnectionFailedError"
    assert error["message"].startswith("cannot reach www.reddit.com: no network?")
    assert "s3cr3t-value" not in captured.out + captured.err
    assert len(offline) <= 3  # prawcore's own quick retries of a dropped connection, none of ours


def test_timeout_reaches_every_request(offline, tmp_path, capsys):
    assert main(["collect", "trends", "--timeout", "3", "--no-store", "--no-progress"]) == 2
    assert main(["collect", "reddit", "--timeout", "4", "--no-store", "--no-progress"]) == 2
    assert [call[2] for call in offline] == [(3.0, 3.0), (4.0, 4.0)]


def test_retries_bound_the_attempts(monkeypatch, capsys):
    sent = []

    class Refusing(Offline):
        def request(self, method, url, **kwargs):
            sent.append(url)
            from attention.testing import FakeResponse

            return FakeResponse(429, "", {"Retry-After": "0"}, {}, url)

    monkeypatch.setattr(requests, "Session", Refusing)
    assert main(["collect", "reddit", "--retries", "1", "--no-store", "--no-progress", "--start", "2026-01-05",
                 "--end", "2026-01-05"]) == 2
    assert "Arctic Shift kept answering HTTP 429 after 1 retries" in capsys.readouterr().err
    assert len(sent) == 2


@pytest.mark.parametrize(("option", "value"), [("--timeout", "0"), ("--timeout", "soon"), ("--retries", "-1")])
def test_bad_network_options_are_refused_by_name(option, value, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["collect", "trends", option, value])
    assert caught.value.code == 2
    assert f"argument {option}: expected" in capsys.readouterr().err
