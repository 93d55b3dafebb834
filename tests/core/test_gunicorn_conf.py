"""gunicorn.conf.py: each instance on a host has its own control socket (attack pass, issue 11:
all instances shared ~/.gunicorn/gunicorn.ctl, and stopping one removed the other's socket)."""

import types
from pathlib import Path

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load_conf() -> dict:
    namespace: dict = {"__file__": str(CONF)}
    exec(compile(CONF.read_text(), str(CONF), "exec"), namespace)
    return namespace


def started(binds, monkeypatch, tmp_path, **cli) -> str:
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    cfg = Config()
    cfg.set("bind", binds)
    for name, value in cli.items():
        cfg.set(name, value)
    load_conf()["on_starting"](types.SimpleNamespace(cfg=cfg))
    return cfg.control_socket


def test_each_instance_has_its_own_control_socket(monkeypatch, tmp_path):
    first = started(["127.0.0.1:8000"], monkeypatch, tmp_path)
    second = started(["127.0.0.1:8001"], monkeypatch, tmp_path)
    third = started(["[::1]:8000"], monkeypatch, tmp_path)
    assert len({first, second, third}) == 3
    assert Path(first).parent == tmp_path  # next to the instance's data, not in the user's home
    assert not first.startswith(str(Path.home() / ".gunicorn"))


def test_a_control_socket_given_on_the_command_line_is_kept(monkeypatch, tmp_path):
    assert started(["127.0.0.1:8000"], monkeypatch, tmp_path, control_socket="/run/kp.ctl") == "/run/kp.ctl"


def test_a_long_data_folder_still_gives_a_valid_socket_path(tmp_path):
    deep = tmp_path / ("x" * 120)
    path = load_conf()["control_socket_for"](["127.0.0.1:8000"], deep)
    assert len(path) <= 100
    assert path != load_conf()["control_socket_for"](["127.0.0.1:8001"], deep)
