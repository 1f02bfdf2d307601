"""Test support for races: many threads released at once, and JSON over keep-alive connections."""

import http.client
import json
import threading

from django.db import connection


def race(count: int, prepare, act, join_timeout: float = 90) -> list:
    """`count` threads prepare, wait at a barrier, then act together. Returns each thread's result or error."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(n):
        try:
            args = prepare(n)
            barrier.wait(timeout=30)
            results[n] = act(*args)
        except Exception as error:  # the test counts every outcome, errors included
            results[n] = error
        finally:
            connection.close()  # each thread has its own connection; leave none open for the flush

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results


def send(conn: http.client.HTTPConnection, method: str, path: str, token: str, body: dict | None = None):
    """One JSON request with a Bearer token; returns (status, parsed body)."""
    headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")
