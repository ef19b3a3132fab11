"""Socket.IO on the API's host and port: token required, served by python-socketio on demand."""

from __future__ import annotations

import pytest
import socketio
import socketio.exceptions


def test_connect_with_a_valid_token(engine, register) -> None:  # type: ignore[no-untyped-def]
    account = register()
    client = socketio.Client(reconnection=False)
    client.connect(
        engine.url, auth={"token": account.access_token}, socketio_path="socket.io", wait_timeout=10
    )
    try:
        assert client.connected and client.sid
    finally:
        client.disconnect()


@pytest.mark.parametrize("auth", [None, {"token": "sst_wrong"}])
def test_connect_is_refused_without_a_valid_token(engine, auth) -> None:  # type: ignore[no-untyped-def]
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(engine.url, auth=auth, socketio_path="socket.io", wait_timeout=10)
    assert not client.connected
